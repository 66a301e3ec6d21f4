"""The ``kg_proposed`` component: the method a paper proposes and the dataset it introduces.

It reads "we propose/introduce/present X", "a novel framework ..., called X", "X, a new method",
"our method X", "we release X, a benchmark of ...", the parts a colon lists after "N
methods/components" and, in a title, "X: A ..." or first words that name a technique ("Mode
Seeking Generative Adversarial Networks for ...").  When the object of "we propose" is a
descriptive phrase without a name ("we propose to implicitly represent", "we propose a
unified framework that ...") no span is made.  Methods get the role "proposed",
datasets "introduced"; spans of other components at the same place get the same role.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.candidates import (
    DATASET_HEADS,
    METHOD_HEADS,
    PROPOSE_VERBS,
    WordSequenceMatcher,
    add_spans,
    labelled_spans,
    name_shape,
    name_words,
    sentence_bounds,
)
from kg.extract.extensions import CANDIDATES_KEY, PROPOSED_KEY, TERMS_KEY, register_extensions

__all__ = [
    "ProposedFinder",
    "Proposal",
    "head_label",
    "make_proposed",
    "title_name",
    "title_phrase",
]

DATASET_VERBS: tuple[str, ...] = (
    "annotate", "annotated", "collect", "collected", "construct", "constructed", "curate",
    "curated", "release", "released", "releases",
)
SUBJECTS: tuple[str, ...] = ("we", "paper", "work", "study", "article", "report")
ADVERBS: tuple[str, ...] = (
    "additionally", "also", "finally", "first", "further", "furthermore", "here", "hence", "herein",
    "instead", "moreover", "newly", "next", "now", "subsequently", "then", "therefore", "thus",
)
NAMING_WORDS: tuple[str, ...] = ("called", "coined", "dubbed", "named", "namely", "termed")
NEW_WORDS: tuple[str, ...] = ("new", "novel")
IMPLEMENTATION_WORDS: frozenset[str] = frozenset(
    "api code codebase implementation implementations library package port version".split()
)
# A title "X: ..." whose X ends in one of these words (or starts with one of the openers)
# is a phrase about a field, not a name.
GENERIC_TITLE_WORDS: tuple[str, ...] = (
    "analysis", "benchmarking", "intelligence", "introduction", "language", "languages",
    "learning", "model", "models", "network", "networks", "overview", "perspective",
    "perspectives", "position", "primer", "review", "study", "survey", "tutorial", "vision",
)
TITLE_OPENERS: tuple[str, ...] = (
    "a", "an", "beyond", "on", "rethinking", "revisiting", "the", "toward", "towards",
    "understanding", "when", "why", "how", "what",
)
DEFAULT_CONFIDENCE: dict[str, float] = {
    "named": 0.85, "title": 0.85, "phrase_title": 0.7, "defined": 0.75, "unclaimed_name": 0.75,
    "appositive": 0.75, "ours": 0.7, "listed_part": 0.7,
}
# Words that end the first noun phrase of a title even when capitalised ("A Benchmark For").
_TITLE_BREAKS = frozenset("and by for from in of on to using via with".split())
_METHOD_HEADS = frozenset(METHOD_HEADS)
_DATASET_HEADS = frozenset(DATASET_HEADS)
# Words after which the object of "we propose" ends.
_CLAUSE_WORDS = frozenset({"which", "that", "where", "to", "by", "while", "whose", "and"})
_MAX_PHRASE = 20


class Proposal(NamedTuple):
    """A proposed name: token bounds, label (METHOD/DATASET) and confidence."""

    start: int
    end: int
    label: str
    confidence: float


def head_label(words: Iterable[str], default: str = "METHOD") -> str:
    """DATASET when the first method/dataset head word among ``words`` is a dataset head.

    >>> head_label(["a", "large", "benchmark", "of", "models"])
    'DATASET'
    """
    for word in words:
        lower = word.lower()
        if lower in _DATASET_HEADS:
            return "DATASET"
        if lower in _METHOD_HEADS:
            return "METHOD"
    return default


def title_name(doc: Doc, max_tokens: int = 4) -> tuple[int, int, str, bool] | None:
    """The name a title "X: ..." gives: (start, end, label, shaped), or None.

    X must be 1-``max_tokens`` tokens without function words and either contain a
    name-shaped word or be a Title-case phrase that is not generic ("Deep Learning",
    "A Survey").  The label is DATASET when the first head word after the colon is a
    dataset head ("X: A Benchmark for ...").
    """
    colon = next((t.i for t in doc[: max_tokens + 1] if t.text == ":"), None)
    # "arXiv:2103.00020" is an identifier standing in for a title, no name
    if not colon or not any(t.is_alpha for t in doc[colon + 1:]):
        return None
    prefix = doc[:colon]
    if any(t.is_stop and t.is_lower for t in prefix) or any(t.is_punct and t.text != "-"
                                                           for t in prefix):
        return None
    shaped = any(word.end <= colon for word in name_words(doc))
    if not shaped:
        words = [t for t in prefix if t.text != "-"]
        if not all(t.is_title for t in words) or words[0].lower_ in TITLE_OPENERS \
                or words[-1].lower_ in GENERIC_TITLE_WORDS:
            return None
    description = []
    for token in doc[colon + 1:]:
        if token.lower_ in ("a", "an", "the"):
            continue
        if token.lower_ in _TITLE_BREAKS or (token.is_stop and token.is_lower) \
                or (token.is_punct and token.text != "-"):
            break
        description.append(token.text)
    return 0, colon, head_label(description), shaped


# Heads of a title phrase that names a technique ("Classical Structured Prediction Losses").
_TITLE_PHRASE_HEADS = _METHOD_HEADS | frozenset(
    "attention distillation embedding embeddings ensembling loss losses net nets pooling "
    "regularizer regularizers training transformer transformers".split())


def title_phrase(doc: Doc, known: Iterable[tuple[int, int]] = (), max_tokens: int = 8) -> tuple[int, int] | None:
    """The technique a title without "X:" names by its first words: "Mode Seeking Generative
    Adversarial Networks for Diverse Image Synthesis", "Asymmetric Tri-training for ...",
    "Spatial Transformer Networks".  (start, end) of the Title-case words before the first
    preposition (or of the whole short title) when they end in a method head and are more
    than a name a gazetteer already holds (``known``: "Convolutional Neural Networks for
    Sentence Classification" applies CNNs), else None.
    """
    end = next((t.i for t in doc[:max_tokens + 1] if t.lower_ in _TITLE_BREAKS), None)
    if end is None:
        end = len(doc) if len(doc) <= max_tokens else 0
    elif doc[end].lower_ == "and":
        return None
    prefix = doc[:end]
    words = [t for t in prefix if t.text != "-"]
    # "Improving Neural Machine Translation Models with ...": a title that starts with a verb
    if len(words) < 2 or words[0].lower_ in TITLE_OPENERS or words[0].lower_.endswith("ing") \
            or (0, end) in set(known):
        return None
    for token in prefix:
        after_hyphen = token.i > 0 and doc[token.i - 1].text == "-"
        if token.is_punct and token.text != "-" or token.is_stop and not after_hyphen \
                or not (token.is_title or token.is_upper or after_hyphen or token.text == "-"):
            return None
    head = words[-1].lower_.rsplit("-", 1)[-1]
    return (0, end) if head in _TITLE_PHRASE_HEADS else None


_PART_WORDS = frozenset(
    "additions changes components contributions extensions ideas improvements innovations methods "
    "modifications modules parts "
    "stages steps strategies techniques".split())
_PLACE_WORDS = frozenset("paper work article study letter report".split())
_NUMBER_WORDS = frozenset("two three four five six several".split())
_ITEM_BREAKS = frozenset("which that where to for of with by in on as whose while".split())


def _announces_parts(words: Span) -> bool:
    """"two novel methods for ...", "three important components": a number, then a plural
    word for parts, before the colon."""
    lowered = [t.lower_ for t in words]
    return any(word in _NUMBER_WORDS or word.isdigit() for word in lowered) \
        and any(word in _PART_WORDS for word in lowered)


def _list_items(doc: Doc, start: int, end: int, max_items: int = 6) -> list[tuple[int, int]]:
    """Token bounds of the noun phrases "A, B(,) and C" (or "(1) A, and (2) B") from
    ``start``: each item without its article, cut before a clause or preposition, and kept
    only when it has two words or more (a single plain word is no part's name)."""
    items: list[tuple[int, int]] = []
    index = start
    while index < end and len(items) < max_items:
        while index < end and (doc[index].lower_ in ("a", "an", "the", "and", "or", ",")
                               or doc[index].text in "()" or doc[index].like_num and doc[index + 1:index + 2].text == ")"):
            index += 1
        item_start = index
        while index < end and not (doc[index].is_punct and doc[index].text not in "-/") \
                and doc[index].lower_ not in _ITEM_BREAKS and doc[index].lower_ not in ("and", "or"):
            index += 1
        words = [t for t in doc[item_start:index] if t.text not in "-/"]
        if len(words) >= 2 and not any(t.lower_ in ("is", "are", "was", "were") for t in words):
            items.append((item_start, index))
        # the rest of an item after a break ("a stable embedding layer to reduce ...") is skipped
        while index < end and doc[index].text not in (",", ";") and doc[index].lower_ not in ("and", "or"):
            index += 1
        if index < end and doc[index].text == ";":
            index += 1
    return items


def _in_this_paper(words: Span) -> bool:
    """"in this paper", "within this work": where the proposal is made, not what it is."""
    return len(words) == 3 and words[0].lower_ in ("in", "within") \
        and words[1].lower_ in ("this", "the", "our") and words[2].lower_ in _PLACE_WORDS


def _implementation(doc: Doc, name_end: int) -> bool:
    """Whether the name before ``name_end`` names a tool the work is written in
    ("our PyTorch implementation"), not the work itself."""
    return name_end < len(doc) and doc[name_end].lower_ in IMPLEMENTATION_WORDS


def _title_words_end(doc: Doc, start: int, sentence_end: int, max_tokens: int = 4) -> int | None:
    """End of "Mamba" / "Visual Genome" written as a name: Title-case words followed by
    ", a/an" or a dash and "a/an" (an appositive saying what they are), or None."""
    end = start
    while end < min(sentence_end, start + max_tokens) and doc[end].is_title \
            and not doc[end].is_stop:
        end += 1
    if start < end < sentence_end - 1 and doc[end].text in (",", "-", "–", "—") \
            and doc[end + 1].lower_ in ("a", "an"):
        return end
    if start < end < sentence_end and doc[end].lower_ in ("-a", "-an"):  # "Primitives -a framework"
        return end
    return None


class ProposedFinder:
    """Writes the names a paper proposes or introduces to ``doc.spans["kg_proposed"]``."""

    def __init__(
        self,
        nlp: Language,
        propose_verbs: Iterable[str] = PROPOSE_VERBS + DATASET_VERBS,
        dataset_verbs: Iterable[str] = DATASET_VERBS,
        naming_words: Iterable[str] = NAMING_WORDS,
        confidence: dict[str, float] | None = None,
    ) -> None:
        register_extensions()
        self.confidence = {**DEFAULT_CONFIDENCE, **(confidence or {})}
        self.dataset_verbs = frozenset(dataset_verbs)
        self.matcher = WordSequenceMatcher(nlp.vocab)
        heads = list(METHOD_HEADS) + list(DATASET_HEADS)
        self.matcher.add("PROPOSE", [[(SUBJECTS, ""), (ADVERBS, "*"), (propose_verbs, "")]])
        self.matcher.add("NAMED", [
            [(naming_words, ""), (["as"], "?")],
            [(["we", "which"], ""), (["call", "name", "term", "dub"], ""),
             (["it", "this", "our", "the"], "?"), (heads, "?")],
        ])
        self.matcher.add("OURS", [[(["our"], ""), (heads, "?")]])

    # -- finding names ------------------------------------------------------------------

    def proposals(self, doc: Doc) -> list[Proposal]:
        """Every proposed/introduced name of ``doc`` (not yet written to it)."""
        words = {w.start: w.end for w in name_words(doc)}
        sentences = sentence_bounds(doc)
        sentence_starts = [start for start, _ in sentences]
        found: list[Proposal] = []
        if doc._.kg_field == "title":
            found.extend(self._title(doc))
        proposing = set()
        for kind, start, end in self.matcher(doc):
            sentence = sentences[bisect_right(sentence_starts, start) - 1]
            if kind == "PROPOSE":
                proposing.add(sentence)
                found.extend(self._object(doc, words, end, sentence))
                found.extend(self._listed_parts(doc, end, sentence))
            elif kind == "NAMED" and end in words:
                label = head_label(t.text for t in reversed(doc[sentence[0]:start]))
                found.append(Proposal(end, words[end], label, self.confidence["named"]
                                      if sentence in proposing else
                                      self.confidence["unclaimed_name"]))
            elif kind == "OURS" and end in words and name_shape(doc[end:words[end]].text) \
                    and not _implementation(doc, words[end]):
                label = head_label([doc[end - 1].text])
                found.append(Proposal(end, words[end], label, self.confidence["ours"]))
        found.extend(self._appositives(doc, words, sentences))
        best: dict[tuple[int, int, str], Proposal] = {}
        for proposal in found:
            key = proposal[:3]
            if key not in best or best[key].confidence < proposal.confidence:
                best[key] = proposal
        return sorted(best.values())

    def _title(self, doc: Doc) -> list[Proposal]:
        name = title_name(doc)
        if name is None:
            known = [(span.start, span.end) for span in doc.spans.get(TERMS_KEY, ())]
            phrase = title_phrase(doc, known)
            return [] if phrase is None else [Proposal(*phrase, "METHOD", self.confidence["phrase_title"])]
        start, end, label, shaped = name
        key = "title" if shaped else "phrase_title"
        return [Proposal(start, end, label, self.confidence[key])]

    def _object(self, doc: Doc, words: dict[int, int], verb_end: int,
                sentence: tuple[int, int]) -> list[Proposal]:
        """The name in the object of "we propose ...", if it has one."""
        verb = doc[verb_end - 1].lower_
        default = "DATASET" if verb in self.dataset_verbs else "METHOD"
        index, sentence_end = verb_end, sentence[1]
        if index + 3 <= sentence_end and _in_this_paper(doc[index:index + 3]):
            index += 3  # "We propose in this paper Periodic Interaction Primitives"
        if index < sentence_end and doc[index].lower_ in ("the", "our"):
            index += 1
        name_end = words.get(index) or _title_words_end(doc, index, sentence_end)
        if name_end:
            # "the ML50 benchmark", "X, a benchmark of ...": the word after the name says what it is
            after = [doc[name_end].text] if name_end < sentence_end and doc[name_end].lower_ in _DATASET_HEADS else []
            label = head_label(after + self._appositive_words(doc, name_end, sentence_end), default)
            return [Proposal(index, name_end, label, self.confidence["named"])]
        phrase_end = index
        while phrase_end < min(sentence_end, index + _MAX_PHRASE):
            token = doc[phrase_end]
            if token.lower_ in _CLAUSE_WORDS or (token.is_punct and token.text not in "-()"):
                break
            phrase_end += 1
        phrase = doc[verb_end:phrase_end]
        # "Probably Asked Questions (PAQ), a very large resource of ...": the apposition too
        label = head_label([t.text for t in phrase] + self._appositive_words(doc, phrase_end, sentence_end),
                           default)
        for token in phrase:
            if token.text == "(" and token.i + 1 in words and words[token.i + 1] < phrase_end \
                    and doc[words[token.i + 1]].text == ")":
                name_start = token.i + 1
                return [Proposal(name_start, words[name_start], label,
                                 self.confidence["defined"])]
        if phrase and phrase[-1].lower_ in _METHOD_HEADS | _DATASET_HEADS:
            after = phrase_end + 1 if phrase_end < sentence_end and doc[phrase_end].text == "," \
                else phrase_end
            if after in words and name_shape(doc[after:words[after]].text):
                return [Proposal(after, words[after], label, self.confidence["named"])]
        return []

    def _listed_parts(self, doc: Doc, verb_end: int, sentence: tuple[int, int]) -> list[Proposal]:
        """"We present two novel methods ...: empirical calibration and temperature scaling",
        "we propose U-Net with three components: answer pointer, ... and answer verifier":
        the parts listed after a colon that follows "N methods/components"."""
        colon = next((t.i for t in doc[verb_end:sentence[1]] if t.text == ":"), None)
        if colon is None or colon - verb_end > _MAX_PHRASE \
                or not _announces_parts(doc[verb_end:colon]):
            return []
        found = []
        for start, end in _list_items(doc, colon + 1, sentence[1]):
            found.append(Proposal(start, end, "METHOD", self.confidence["listed_part"]))
        return found

    @staticmethod
    def _appositive_words(doc: Doc, name_end: int, sentence_end: int) -> list[str]:
        """The words of ", a/an ... HEAD" right after a name (empty when there is none)."""
        if name_end + 2 >= sentence_end or doc[name_end].text != "," \
                or doc[name_end + 1].lower_ not in ("a", "an"):
            return []
        words = []
        for token in doc[name_end + 2:min(sentence_end, name_end + 2 + _MAX_PHRASE)]:
            if token.is_punct and token.text != "-" or token.lower_ in _CLAUSE_WORDS:
                break
            words.append(token.text)
        return words

    def _appositives(self, doc: Doc, words: dict[int, int],
                     sentences: list[tuple[int, int]]) -> list[Proposal]:
        """"X, a new method for ...": a sentence that opens with a name and calls it new."""
        found = []
        for start, end in sentences:
            if start not in words:
                continue
            description = self._appositive_words(doc, words[start], end)
            if any(word.lower() in NEW_WORDS for word in description[:3]):
                found.append(Proposal(start, words[start], head_label(description),
                                      self.confidence["appositive"]))
        return found

    # -- writing spans ------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        proposals = self.proposals(doc)
        if proposals:
            existing = {(s.start, s.end): s for s in labelled_spans(doc, keys=(TERMS_KEY,))}
            others = defaultdict(list)
            for other in labelled_spans(doc, keys=(TERMS_KEY, CANDIDATES_KEY)):
                others[other.start, other.end].append(other)
        spans = []
        for proposal in proposals:
            span = Span(doc, proposal.start, proposal.end, label=proposal.label)
            role = "introduced" if proposal.label == "DATASET" else "proposed"
            # Span attributes are stored by character offsets, so a gazetteer or NER span at
            # the same place shares them: keep its source and canonical name.
            if (proposal.start, proposal.end) not in existing:
                span._.kg_source = "proposed"
            span._.kg_confidence = max(proposal.confidence, span._.kg_confidence or 0.0)
            span._.kg_role = role
            for other in others[proposal.start, proposal.end]:
                other._.kg_role = role
            spans.append(span)
        add_spans(doc, PROPOSED_KEY, spans)
        return doc


@Language.factory(
    "kg_proposed",
    default_config={
        "propose_verbs": list(PROPOSE_VERBS + DATASET_VERBS),
        "dataset_verbs": list(DATASET_VERBS),
        "naming_words": list(NAMING_WORDS),
        "confidence": DEFAULT_CONFIDENCE,
    },
)
def make_proposed(
    nlp: Language,
    name: str,
    propose_verbs: list[str],
    dataset_verbs: list[str],
    naming_words: list[str],
    confidence: dict[str, float],
) -> ProposedFinder:
    """Build the ``kg_proposed`` component (``nlp.add_pipe("kg_proposed")``)."""
    return ProposedFinder(nlp, propose_verbs, dataset_verbs, naming_words, confidence)
