"""One paper's mentions -> canonical entities with roles, plus repositories and results.

Within a paper, mentions merge into one entity when they share a merge key: the gazetteer's
canonical name, the long form of an acronym the paper defines ("large language models
(LLMs)" makes "LLMs" and "large language models" one entity), or the same name up to case,
hyphens, spacing and plural.  Generic heads ("our method", "the dataset") never become
entities.  Merging across papers happens in ``kg.graph.build`` by the ``keys`` kept here.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from kg.normalize.acronyms import title_acronyms
from kg.normalize.extents import extend_mentions
from kg.normalize.kinds import described_type, evaluated_on
from kg.normalize.lists import list_types
from kg.normalize.metrics import canonical_metric
from kg.normalize.names import (
    clean_name,
    display_name,
    entity_id,
    is_acronym,
    is_generic,
    is_well_formed,
    name_key,
    singular_word,
    written_name,
)
from kg.normalize.released import released_mentions
from kg.normalize.results import normalize_results
from kg.normalize.roles import is_variant, modifies_head, proposed_in_sentence
from kg.normalize.spans import known_names, name_shaped, split_mention
from kg.normalize.worthiness import entity_features, load_node_model, term_source
from kg.records import (
    Abbreviation,
    EntityRef,
    Evidence,
    Mention,
    PaperMentions,
    PaperRecord,
    Repository,
)

# The share of the keep threshold a proposed method or a curated metric needs (by default).
LOWER_SHARE = 0.5
_PARTICIPLE_END = re.compile(r"(?:^|[\s-])[a-z]{3,}ed$")
_ROLE_ORDER = {"proposed": 0, "introduced": 1, "used": 2}
_REVIEWED_LISTS = frozenset({"curated", "pwc", "scirex"})
_LISTED_BONUS = 3.0
# What the sentence says the name is ("KLUE is a benchmark") outweighs the NER's guess.
_DESCRIBED_BONUS = 2.0
_DESCRIBED_TYPES = frozenset({"Method", "Dataset"})
_DATA_WORD_AFTER = re.compile(r"\s+(datasets?|benchmarks?|corpus|corpora|database)\b")


@dataclass
class _Group:
    """Mentions of one entity in one paper while they are being collected."""

    key: str
    mentions: list[Mention] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    canonical: Counter[str] = field(default_factory=Counter)
    long_forms: list[str] = field(default_factory=list)
    short_forms: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def normalize(paper_mentions: PaperMentions, *, min_confidence: float | None = None) -> PaperRecord:
    """Turn what extraction found in one paper into a ``PaperRecord`` of canonical entities.

    Each candidate entity's confidence is the node-worthiness model's calibrated probability
    (``kg.normalize.worthiness``); entities below ``min_confidence`` (default: the model's
    threshold) are left out.
    """
    paper = paper_mentions.paper
    short_to_long = _acronym_map(paper_mentions)
    model = load_node_model()
    threshold = min_confidence if min_confidence is not None else model.threshold if model else 0.0
    # The default keeps what the paper itself proposes, and the evaluation measures of the
    # curated list, at a lower confidence: the model learns from SciREX, whose salient
    # entities seldom hold a paper's own components or its efficiency measures (speedup,
    # memory usage), while the guideline counts every method a paper proposes and every
    # measure it evaluates with.
    lower = threshold if min_confidence is not None else threshold * LOWER_SHARE
    entities = []
    for entity, features in candidate_entities(paper_mentions, short_to_long):
        if model is not None:
            entity = replace(entity, confidence=round(model.probability(features), 4))
        if entity.confidence >= (lower if entity.role == "proposed" or _curated_metric(entity) else threshold):
            entities.append(entity)
    results, extra = normalize_results(paper.id, paper_mentions.results, entities, short_to_long)
    entities = sorted(entities + extra, key=lambda e: (e.type, e.id))
    return PaperRecord(
        paper=paper,
        entities=tuple(entities),
        repositories=_repositories(paper_mentions),
        urls=tuple(dict.fromkeys(link.url for link in paper_mentions.links if not link.repository)),
        results=tuple(results),
        abbreviations=paper_mentions.abbreviations,
    )


def candidate_entities(
    paper_mentions: PaperMentions, short_to_long: dict[str, str] | None = None
) -> list[tuple[EntityRef, dict[str, float]]]:
    """Every candidate entity of one paper (mentions merged) with its node-worthiness features."""
    if short_to_long is None:
        short_to_long = _acronym_map(paper_mentions)
    groups: dict[str, _Group] = {}
    # A long form the paper defines an acronym for is one name, whatever words it ends in.
    defined = {name_key(long) for long in short_to_long.values()}
    mentions = extend_mentions(paper_mentions.mentions, (a.long for a in paper_mentions.abbreviations))
    parts = [pair for written in (*mentions, *released_mentions(paper_mentions))
             for pair in ([(written, written)] if name_key(written.text) in defined
                          else _trimmed(split_mention(written), written))]
    for mention, written in sorted(parts, key=lambda pair: _mention_order(pair[0])):
        if not is_well_formed(mention.text) or _generic(mention):
            continue
        key, long_form = _group_key(mention, short_to_long)
        if not key:
            continue
        group = groups.setdefault(key, _Group(key))
        group.mentions.append(mention)
        group.forms.append(clean_name(mention.text))
        # "CIFAR-10 dataset" (written so, or cut to the name) is an alias of CIFAR-10 too
        group.written.append(written_name(written.text) + _kind_after(written))
        if mention.canonical:
            group.canonical[mention.canonical] += 1
        if long_form:
            group.long_forms.append(long_form)
            if name_key(mention.text) in short_to_long:
                group.short_forms.append(clean_name(mention.text))
    definitions = _definitions(paper_mentions.abbreviations)
    listed = list_types([mention for group in groups.values() for mention in group.mentions], _reviewed,
                        lambda mention: name_shaped(mention.text))
    entities = _with_variants(_dedupe_ids([_entity(group, definitions, listed) for group in groups.values()],
                                          definitions))
    entities.sort(key=lambda e: (e.type, e.id))
    return [(entity, _features(entity, short_to_long)) for entity in entities]


def _kind_after(mention: Mention) -> str:
    """" benchmarks" when a dataset's name is followed by its kind word ("CIFAR10 benchmarks"):
    the form as written, kept as an alias; "" otherwise."""
    if mention.label != "Dataset":
        return ""
    evidence = mention.evidence
    after = _DATA_WORD_AFTER.match(evidence.sentence, evidence.end - evidence.sentence_start)
    return " " + after.group(1) if after else ""


def _trimmed(parts: list[Mention], written: Mention) -> list[tuple[Mention, Mention]]:
    """The parts of ``written``, each paired (as ``written``) with the whole mention when only
    words around the name were cut off (so "CIFAR-10 dataset" stays an alias of CIFAR-10), or
    with itself when the mention was split into several things."""
    return [(part, written if len(parts) == 1 else part) for part in parts]


def _curated_metric(entity: EntityRef) -> bool:
    return entity.type == "Metric" and any(
        m.canonical and term_source(m.canonical) == "curated" for m in entity.mentions)


def _generic(mention: Mention) -> bool:
    """Generic words are no entity, unless a reviewed list names them ("model compression",
    "metric learning"); nor is a task cut after a participle ("weakly-supervised", "STS shared")."""
    if mention.canonical and term_source(mention.canonical) == "curated" or name_key(mention.text) in known_names():
        return False
    if mention.label == "Task" and _PARTICIPLE_END.search(mention.text):
        return True
    return is_generic(mention.text) or bool(mention.canonical and is_generic(mention.canonical))


def _with_variants(entities: list[EntityRef]) -> list[EntityRef]:
    """Size and version variants of a proposed method are proposed too ("DiCo-XL")."""
    proposed = [e.name for e in entities if e.type == "Method" and e.role == "proposed"]
    return [replace(e, role="proposed")
            if e.type == "Method" and e.role != "proposed" and any(is_variant(e.name, p) for p in proposed)
            else e for e in entities]


def _features(entity: EntityRef, short_to_long: dict[str, str]) -> dict[str, float]:
    forms = [entity.name, *entity.aliases]
    return entity_features(
        entity.type, entity.name, forms,
        {m.evidence.source for m in entity.mentions},
        mentions=len(entity.mentions),
        in_title=any(m.evidence.field == "title" for m in entity.mentions),
        canonical=next((m.canonical for m in entity.mentions if m.canonical), None),
        acronym_defined=any(name_key(f) in short_to_long for f in forms),
        proposed=entity.role in ("proposed", "introduced"),
    )


def _mention_order(mention: Mention) -> tuple[int, int, int]:
    evidence = mention.evidence
    return (0 if evidence.field == "title" else 1, evidence.start, evidence.end)


def _acronym_map(paper_mentions: PaperMentions) -> dict[str, str]:
    """Short-form key -> long form: the paper's definitions, then the acronyms of its title's
    names that the abstract uses without defining them."""
    mapping = _abbreviation_map(paper_mentions.abbreviations)
    for key, long_form in title_acronyms(paper_mentions.mentions, mapping).items():
        if not is_generic(long_form):
            mapping.setdefault(key, long_form)
    return mapping


def _abbreviation_map(abbreviations: tuple[Abbreviation, ...]) -> dict[str, str]:
    """Short-form key -> long form, first definition in the paper wins."""
    mapping: dict[str, str] = {}
    for abbreviation in abbreviations:
        short = name_key(abbreviation.short)
        if short and not is_generic(abbreviation.long):
            mapping.setdefault(short, abbreviation.long)
    return mapping


def _group_key(mention: Mention, short_to_long: dict[str, str]) -> tuple[str, str | None]:
    """The in-paper merge key of a mention and the long form it stands for (if an acronym)."""
    key = name_key(mention.text)
    long_form = short_to_long.get(key) or short_to_long.get(name_key(mention.canonical or ""))
    if long_form is not None:
        # The paper's own definition beats a gazetteer: "LLMs" here means its long form.
        return name_key(long_form), long_form
    if mention.canonical:
        return name_key(mention.canonical), None
    return key, None


def _entity(group: _Group, definitions: dict[str, Evidence],
            listed: dict[tuple[str, int, int], str] | None = None) -> EntityRef:
    mentions = tuple(group.mentions)
    entity_type = _vote_type(mentions, listed or {})
    typed = tuple(m for m in mentions if m.label == entity_type) or mentions
    spelled_out = Counter({c: n for c, n in group.canonical.items() if not is_acronym(c)})
    if spelled_out:
        name = display_name(_most_common(spelled_out))
    elif group.canonical and not group.long_forms:
        name = display_name(_most_common(group.canonical))
    elif group.long_forms:
        name = display_name(group.long_forms[0])
    else:
        name = _preferred_form(group.forms)
    if entity_type == "Metric":  # "ImageNet top-1" is the metric top-1 accuracy
        name = canonical_metric(name).canonical
    role = _role(entity_type, typed, _defined(group.forms + group.long_forms, definitions))
    coined = group.short_forms or [form for form in group.forms if is_acronym(form)]
    if role in ("proposed", "introduced") and group.long_forms and coined:
        # What the paper coins is what researchers call it: MUVERA, not its long form.
        name = display_name(Counter(coined).most_common(1)[0][0])
    aliases = _aliases(name, group.forms + group.long_forms + group.written)
    keys = sorted({name_key(form) for form in [name, *aliases]} - {""})
    return EntityRef(
        id=entity_id(entity_type, name),
        type=entity_type,
        name=name,
        aliases=tuple(aliases),
        keys=tuple(keys),
        role=role,
        confidence=_combined_confidence(m.confidence for m in typed),
        mentions=typed,
    )


def _most_common(counts: Counter[str]) -> str:
    return min(counts, key=lambda name: (-counts[name], name))


def _reviewed(mention: Mention) -> bool:
    """Whether a reviewed list (curated, Papers with Code, SciREX salient) names the mention."""
    return bool(mention.canonical) and term_source(mention.canonical) in _REVIEWED_LISTS


def _listed_name(mention: Mention) -> bool:
    """Whether a reviewed list holds the mention's name (matched by the gazetteer, or written
    as the NER found it)."""
    return _reviewed(mention) or name_key(mention.text) in known_names()


def _vote_type(mentions: tuple[Mention, ...], listed: dict[tuple[str, int, int], str]) -> str:
    """The type most mentions give, where a name of a reviewed list outweighs the NER
    ("image classification" is a task however it is used in a sentence), and so do what the
    sentence says the name is and the list it stands in ("VOC, NYUDv2 and Cityscapes")."""
    votes: Counter[str] = Counter()
    for mention in mentions:
        bonus = 0.0
        if mention.canonical:
            bonus = _LISTED_BONUS if _reviewed(mention) else 0.5
        votes[mention.label] += mention.confidence + bonus
        evidence = mention.evidence
        in_list = listed.get((evidence.field, evidence.start, evidence.end))
        if in_list is not None:
            votes[in_list] += _DESCRIBED_BONUS
        if mention.label in _DESCRIBED_TYPES:  # a new name is a method or data, by its description
            offset = evidence.sentence_start
            described = described_type(evidence.sentence, evidence.start - offset, evidence.end - offset)
            if described is not None:
                votes[described] += _DESCRIBED_BONUS
            elif mention.label == "Method" and not mention.canonical and name_shaped(mention.text) \
                    and evaluated_on(evidence.sentence, evidence.start - offset):
                votes["Dataset"] += _DESCRIBED_BONUS
    return sorted(votes.items(), key=lambda item: (-item[1], item[0]))[0][0]


def _preferred_form(forms: list[str]) -> str:
    """The most frequent written form, singular; ties go to the first written."""
    names = [display_name(form) for form in forms]
    counts = Counter(names)
    best = max(counts.values())
    return next(name for name in names if counts[name] == best)


def _aliases(name: str, forms: list[str]) -> list[str]:
    seen = {name.casefold()}
    aliases: list[str] = []
    for form in forms:
        for variant in (form, display_name(form)):
            if variant and variant.casefold() not in seen:
                seen.add(variant.casefold())
                aliases.append(variant)
    aliases = [a for a in aliases if not _is_plural_of(a, name, aliases)]
    return sorted(aliases)


def _is_plural_of(alias: str, name: str, aliases: list[str]) -> bool:
    """Drop "LLMs" when "LLM" is there: plural variants add nothing as aliases."""
    singular = singular_word(alias)
    return singular != alias and (singular == name or singular in aliases)


def _role(entity_type: str, mentions: tuple[Mention, ...], defined: tuple[Evidence, ...] = ()) -> str | None:
    if entity_type not in ("Method", "Dataset"):
        return None
    listed = [_listed_name(m) for m in mentions]
    # "we develop two target dependent long short-term memory (LSTM) models": a listed name
    # that modifies the head of what is proposed is used, whatever kg_proposed read.
    roles = [m.role for m, known in zip(mentions, listed) if m.role and not (
        m.role == "proposed" and known and modifies_head(
            m.evidence.sentence, m.evidence.end - m.evidence.sentence_start))]
    # What else a paper proposes is read from its sentences for methods; a dataset is
    # introduced only where kg_proposed says so (on dev the sentence cues cost datasets more
    # than they found).
    if entity_type == "Method" and (any(_proposed_here(m.evidence, known) for m, known in zip(mentions, listed))
                                    or any(_proposed_here(e, any(listed)) for e in defined)):
        roles.append("proposed")
    if not roles:
        return "used"
    role = min(roles, key=lambda r: _ROLE_ORDER.get(r, 3))
    if entity_type == "Dataset" and role == "proposed":
        return "introduced"
    if entity_type == "Method" and role == "introduced":
        return "proposed"
    return role


def _proposed_here(evidence: Evidence, known: bool = False) -> bool:
    offset = evidence.sentence_start
    return proposed_in_sentence(evidence.sentence, evidence.start - offset, evidence.end - offset,
                                title=evidence.field == "title", known=known)


def _definitions(abbreviations: tuple[Abbreviation, ...]) -> dict[str, Evidence]:
    """Short and long form keys -> where the paper defines them ("Attention with Linear
    Biases (ALiBi)"): a definition is a mention of its entity, read for the role too."""
    definitions: dict[str, Evidence] = {}
    for abbreviation in abbreviations:
        for form in (abbreviation.short, abbreviation.long):
            definitions.setdefault(name_key(form), abbreviation.evidence)
    return definitions


def _defined(forms: list[str], definitions: dict[str, Evidence]) -> tuple[Evidence, ...]:
    keys = {name_key(form) for form in forms}
    return tuple(dict.fromkeys(definitions[key] for key in sorted(keys) if key in definitions))


def _combined_confidence(confidences) -> float:
    """Independent evidence adds up: 1 - prod(1 - c), capped below certainty."""
    remaining = 1.0
    for confidence in confidences:
        remaining *= 1.0 - max(0.0, min(1.0, confidence))
    return round(min(0.99, 1.0 - remaining), 4)


def _dedupe_ids(entities: list[EntityRef], definitions: dict[str, Evidence]) -> list[EntityRef]:
    """Two groups that slug to the same id (e.g. "CIFAR10" and "CIFAR-10" under different
    canonical names) become one entity."""
    by_id: dict[str, list[EntityRef]] = defaultdict(list)
    for entity in entities:
        by_id[entity.id].append(entity)
    merged = []
    for same in by_id.values():
        if len(same) == 1:
            merged.append(same[0])
            continue
        first = same[0]
        mentions = tuple(m for e in same for m in e.mentions)
        forms = [a for e in same for a in (e.name, *e.aliases)]
        aliases = _aliases(first.name, forms)
        merged.append(
            EntityRef(
                id=first.id,
                type=first.type,
                name=first.name,
                aliases=tuple(aliases),
                keys=tuple(sorted({k for e in same for k in e.keys})),
                role=_role(first.type, mentions, _defined(forms, definitions)),
                confidence=_combined_confidence(m.confidence for m in mentions),
                mentions=mentions,
            )
        )
    return merged


def _repositories(paper_mentions: PaperMentions) -> tuple[Repository, ...]:
    evidence_by_url: dict[str, list[Evidence]] = defaultdict(list)
    for link in paper_mentions.links:
        if link.repository:
            evidence_by_url[link.url].append(link.evidence)
    return tuple(Repository(url, tuple(evs)) for url, evs in evidence_by_url.items())
