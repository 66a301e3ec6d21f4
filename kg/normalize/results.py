"""One paper's result mentions -> typed results tied to entity ids, with canonical metrics.

A result's metric becomes the canonical metric entity (``kg.normalize.metrics``): "ImageNet
top-1" is top-1 accuracy measured on ImageNet, "accuracy" on ImageNet is top-1 accuracy, a
comparative ("2.4x faster") is a speedup, a number in frames per second measures throughput.
A dataset written inside the metric name ("WikiSQL denotation accuracy") is the result's
dataset.  A split or protocol written in the dataset or the metric name ("COCO test-dev",
"zero-shot top-1") becomes the result's setting; the kind word after a dataset name ("the
ICDAR 2015 dataset", "the WMT 15 task English-German", "PTB § 23") is no part of it.  A result
whose sentence names no method belongs to the paper's main proposed method: the proposed
method mentioned most often (first in the title on a tie), or, when none is proposed, the
method or task a title "X for Y" opens with.  Names no entity of the paper holds
become new entities, with the text as written among their mentions.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from kg.normalize.metrics import MetricName, canonical_metric, setting_of
from kg.normalize.names import clean_name, display_name, entity_id, is_generic, name_key
from kg.normalize.spans import name_shaped
from kg.records import EntityRef, Evidence, Mention, Result, ResultMention

__all__ = ["COMPARATIVE_METRICS", "UNIT_METRICS", "dataset_and_setting", "main_proposed",
           "normalize_results", "title_method"]

# A result whose sentence names no method is tied to the paper's proposed method, less surely.
_IMPLICIT_METHOD_FACTOR = 0.8
# A name only a result's sentence ties to the number (no other component found it) is an
# entity less surely than the result is a result (unless it is a metric of kg's table).
_RESULT_ENTITY_FACTOR = 0.7
# Units that say what they measure when no metric is written ("13.2 fps").
UNIT_METRICS: dict[str, str] = {"fps": "fps"}
# Words after a dataset name that say what kind of thing it is ("the ImageNet dataset").
_DATASET_KINDS = frozenset(
    "dataset datasets benchmark benchmarks corpus corpora database databases task".split())
_SPLIT_WORDS = frozenset({"set", "sets", "split", "splits"})
_TASK_WORD = "task"
# What follows the name a title opens with when the title names the paper's method.
_TITLE_HEAD_END = re.compile(r"^\s*(?:$|[:\-–—]|(?:for|of|with|via|in)\b)", re.IGNORECASE)
# A section of a treebank ("PTB § 23") is a split of it.
_SECTION = re.compile(r"\s*§.*$")
# The metric a comparative word measures ("2.4x faster" is a speedup).
COMPARATIVE_METRICS: dict[str, str] = {
    "faster": "speedup", "slower": "speedup", "smaller": "model size", "larger": "model size",
    "lighter": "model size", "cheaper": "FLOPs",
}


def normalize_results(
    paper_id: str,
    result_mentions: tuple[ResultMention, ...],
    entities: list[EntityRef],
    short_to_long: dict[str, str],
) -> tuple[list[Result], list[EntityRef]]:
    """Tie each reported number to entity ids; names no entity holds become new entities.

    Returns the results and the entities made for them (not among ``entities``).
    """
    entities_of = _PaperEntities(entities, short_to_long)
    main = main_proposed(entities)
    head = title_method(entities) if main is None else None
    results = []
    keys: set[str] = set()
    for mention in result_mentions:
        confidence = mention.confidence
        dataset_text, dataset_setting = dataset_and_setting(mention.dataset)
        written = _balanced(mention.metric) or UNIT_METRICS.get(mention.unit or "")
        metric = _metric_name(written, dataset_text) if not mention.dataset or \
            name_key(written or "") != name_key(mention.dataset) else None
        if metric is not None and metric.dataset is not None:
            dataset_text = metric.dataset  # "WikiSQL denotation accuracy": measured on WikiSQL
        method = entities_of.resolve(mention.method, "Method", mention)
        if method is None and (main is not None or head is not None):
            method = main or entities_of.add(head)
            confidence *= _IMPLICIT_METHOD_FACTOR
        metric_id = None
        if metric is not None:
            metric_id = entities_of.resolve(written, "Metric", mention, metric.canonical)
            if entities_of.names[metric_id] != metric.canonical:
                # the paper's entity is another metric than the one meant here ("accuracy"
                # on ImageNet is top-1 accuracy)
                metric_id = entities_of.named(metric.canonical, "Metric", mention, written)
        evidence = mention.evidence
        key = f"{paper_id}|{evidence.field}|{evidence.start}|{evidence.end}|{mention.value!r}"
        if key in keys:  # one number reported on two datasets ("on both datasets")
            key = f"{key}|{mention.dataset}"
        keys.add(key)
        digest = hashlib.sha1(key.encode()).hexdigest()[:16]
        results.append(
            Result(
                id=f"result/{digest}",
                method=method,
                dataset=entities_of.resolve(dataset_text, "Dataset", mention),
                metric=metric_id,
                value=mention.value,
                unit=mention.unit,
                text=evidence.text,
                evidence=evidence,
                confidence=round(confidence, 4),
                kind=mention.kind,
                setting=mention.setting or dataset_setting or (metric.setting if metric else None),
                baseline=mention.baseline,
            )
        )
    return results, [e for e in entities_of.extra.values() if e.id not in {x.id for x in entities}]


def main_proposed(entities: list[EntityRef]) -> str | None:
    """The id of the paper's main proposed method: a coined name before a phrase ("BART",
    not its "in-filling scheme"), a name of the paper's own before a known one ("A ConvNet
    for the 2020s" proposes ConvNeXt, not the CNN it is), then the proposed method
    mentioned most often, on a tie the one the title names, then the one mentioned
    first; None when none is proposed.
    """
    def order(entity: EntityRef) -> tuple[bool, bool, int, bool, tuple[bool, int]]:
        places = [(m.evidence.field != "title", m.evidence.start) for m in entity.mentions]
        in_title = any(not not_title for not_title, _ in places)
        known = any(m.canonical for m in entity.mentions)
        # a coined name ("FaceNet", "RoPE") before a component the paper describes in words
        described = not any(name_shaped(form) for form in (entity.name, *entity.aliases))
        return described, known, -len(places), not in_title, min(places, default=(True, 0))
    proposed = [e for e in entities if e.type == "Method" and e.role == "proposed"]
    return min(proposed, key=order).id if proposed else None


def title_method(entities: list[EntityRef]) -> EntityRef | None:
    """The method a title "X for Y" / "X: Y" names as the paper's own, when the paper
    proposes no method: the Method or Task entity that opens the title, as a proposed Method
    ("Hierarchical Question-Image Co-Attention for Visual Question Answering")."""
    for entity in sorted(entities, key=lambda e: (e.type != "Method", e.id)):
        if entity.type not in ("Method", "Task"):
            continue
        for mention in entity.mentions:
            evidence = mention.evidence
            rest = evidence.sentence[evidence.end - evidence.sentence_start:]
            if evidence.field == "title" and evidence.start == 0 and _TITLE_HEAD_END.match(rest):
                if entity.type == "Method":
                    return entity
                return replace(entity, id=entity_id("Method", entity.name), type="Method",
                               role="proposed", mentions=tuple(
                                   replace(m, label="Method") for m in entity.mentions))
    return None


class _PaperEntities:
    """The entities of one paper by type and key, and the ones made for its results."""

    def __init__(self, entities: list[EntityRef], short_to_long: dict[str, str]) -> None:
        self.short_to_long = short_to_long
        self.index: dict[tuple[str, str], str] = {}
        self.names: dict[str, str] = {}
        self.extra: dict[str, EntityRef] = {}
        for entity in entities:
            self.names[entity.id] = entity.name
            for key in entity.keys:
                self.index.setdefault((entity.type, key), entity.id)

    def resolve(self, text: str | None, entity_type: str, mention: ResultMention,
                name: str | None = None) -> str | None:
        """The id of the entity ``text`` names; a new one (named ``name``, default the
        text) when none does."""
        if not text or is_generic(text):
            return None
        key = name_key(self.short_to_long.get(name_key(text), text))
        found = self.index.get((entity_type, key))
        if found is None:
            found = self.named(name or display_name(text), entity_type, mention, text)
            self.index[(entity_type, key)] = found
        return found

    def add(self, entity: EntityRef) -> str:
        """The id of ``entity``, kept among the entities made for results when it is new."""
        if entity.id not in self.names:
            self.extra[entity.id] = entity
            self.names[entity.id] = entity.name
            for key in entity.keys:
                self.index.setdefault((entity.type, key), entity.id)
        return entity.id

    def named(self, name: str, entity_type: str, mention: ResultMention,
              text: str | None = None) -> str:
        """The id of the entity called ``name``, made from the written ``text`` (default:
        ``name``) when the paper has none."""
        found = self.index.get((entity_type, name_key(name)))
        if found is not None:
            return found
        entity = _result_entity(text or name, name, entity_type, mention)
        self.extra.setdefault(entity.id, entity)
        self.names[entity.id] = entity.name
        for key in entity.keys:
            self.index.setdefault((entity_type, key), entity.id)
        return entity.id


def _balanced(text: str | None) -> str | None:
    """A written metric without a parenthesis it opens or closes but not both ("top-5) error"
    read inside "top-1 (7.8% top-5) error")."""
    if text is None or text.count("(") == text.count(")"):
        return text
    return " ".join(text.replace("(", " ").replace(")", " ").split())


def _metric_name(text: str | None, dataset: str | None) -> MetricName | None:
    """The canonical metric of a written metric (a comparative word as what it measures)."""
    if not text or is_generic(text):
        return None
    comparative = COMPARATIVE_METRICS.get(text.lower())
    if comparative is not None:
        return canonical_metric(comparative)
    if text.lower() in ("fewer", "shorter", "more", "less"):
        return None
    return canonical_metric(text, dataset)


def dataset_and_setting(text: str | None) -> tuple[str | None, str | None]:
    """The dataset a written dataset name names, and the split or protocol written with it.

    >>> dataset_and_setting("COCO test-dev"), dataset_and_setting("MOT17 test set")
    (('COCO', 'test-dev'), ('MOT17', 'test'))
    >>> dataset_and_setting("WMT 15 task English-German"), dataset_and_setting("PTB § 23")
    (('WMT 15', None), ('PTB', None))
    >>> dataset_and_setting("CTB 5.1 test sets"), dataset_and_setting("ICDAR 2015 dataset")
    (('CTB 5.1', 'test'), ('ICDAR 2015', None))
    """
    if not text:
        return None, None
    words = _SECTION.sub("", text).split()
    if _TASK_WORD in words[1:]:  # "WMT 15 task English-German": the task of a benchmark
        words = words[:words.index(_TASK_WORD, 1)]
    while len(words) > 1 and words[-1].lower() in _DATASET_KINDS:
        words = words[:-1]
    setting = None
    if len(words) > 2 and words[-1].lower() in _SPLIT_WORDS and setting_of(words[-2]):
        words = words[:-1]
    if len(words) > 1 and setting_of(words[-1]):
        setting = setting_of(words[-1])
        words = words[:-1]
    return " ".join(words), setting


def _result_entity(text: str, name: str, entity_type: str, mention: ResultMention) -> EntityRef:
    """A new entity for a name a result uses: ``text`` as written, ``name`` its name.

    The written text is an alias (and a merge key) only when it names the entity on its own:
    "accuracy" written for top-1 accuracy on ImageNet, or "WikiSQL denotation accuracy" for
    denotation accuracy, is no alias; it stays a mention, the evidence of where it was read.
    """
    written = canonical_metric(text) if entity_type == "Metric" else None
    same = written is None or (written.canonical == name and written.dataset is None
                               and written.setting is None)
    sentence = mention.evidence.sentence
    offset = sentence.find(text)
    start = mention.evidence.sentence_start + max(offset, 0)
    evidence = Evidence(
        text=text if offset >= 0 else mention.evidence.text,
        field=mention.evidence.field,
        start=start if offset >= 0 else mention.evidence.start,
        end=start + len(text) if offset >= 0 else mention.evidence.end,
        sentence=sentence,
        sentence_start=mention.evidence.sentence_start,
        source="results",
    )
    aliases = dict.fromkeys((clean_name(text), display_name(text))) if same else {}
    # A metric of kg's table is what the number measures as surely as the result is a result.
    known = written is not None and written.direction != "unknown"
    confidence = mention.confidence * (1.0 if known else _RESULT_ENTITY_FACTOR)
    return EntityRef(
        id=entity_id(entity_type, name),
        type=entity_type,
        name=name,
        aliases=tuple(a for a in aliases if a != name),
        keys=tuple(sorted({name_key(text), name_key(name)} if same else {name_key(name)})),
        role="used" if entity_type in ("Method", "Dataset") else None,
        confidence=round(confidence, 4),
        mentions=(Mention(entity_type, evidence, confidence),),
    )
