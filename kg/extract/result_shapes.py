"""The written shapes around a reported number that ``kg_results`` reads.

Plain tests over a spaCy ``Doc`` and the numbers read in it: whether a name opens its clause
("On COCO, X reaches ..."), refers back to the paper's own method ("the generative model"),
which dataset a number owns ("81.2% on ImageNet and 45.0 mIoU"), which numbers are the score
a result is compared with ("from 60.3% to 60.5%"), ranges ("between 10x and 20x"), lists
("(2) ..."), parentheses ("89.5% (+2.3%)", "LAMBADA (66.5% ...)") and differences ("by 25%",
"reduces 71% FLOPs").  ``kg.extract.results`` combines them; spaCy objects stay inside
``kg.extract``.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from kg.extract.candidates import RESULT_VERBS
from kg.extract.extensions import ResultSpan
from kg.extract.numbers import split_quantity
from kg.normalize.names import name_key, singular_word

__all__ = [
    "ANAPHOR_HEADS",
    "BASELINE_MARKERS",
    "BASELINE_VERBS",
    "CHANGE_VERBS",
    "DATASET_MARKERS",
    "NOT_MODIFIERS",
    "QUALIFIER_WORDS",
    "RELATIVE_AFTER",
    "Reading",
    "SpanIndex",
    "after_arrow",
    "before_parenthesis",
    "compared_with",
    "continues_list",
    "counted_noun",
    "doc_datasets",
    "earlier_value",
    "inside_name",
    "is_anaphor",
    "is_enumerator",
    "is_name_token",
    "is_parenthesised",
    "is_reference",
    "marks_dataset",
    "maximal_spans",
    "method_after",
    "on_each",
    "opens_sentence",
    "owned_datasets",
    "range_end",
    "reading_chains",
    "relative_after",
    "relative_before",
    "subject_position",
    "with_range_units",
]

# Tokens that join numbers reported together ("44.1% and 30.5%", "1.5% to 6.4%").
_CHAIN_WORDS = frozenset({"and", ",", "to", "or", "-", "–", "vs", "vs.", "/"})
# Words before a number that refers to a part of the paper ("Fig. 3", "Table 2").
_REFERENCE_WORDS = frozenset(
    "appendix chapter eq eq. equation fig fig. figure figures section sec sec. step table "
    "tables version".split()
)
# Words before a dataset that a number is measured on ("on COCO", "for VQA").
DATASET_MARKERS = frozenset({"on", "in", "across", "over", "for"})
# "on both datasets": a result on each of two datasets.
_BOTH_KINDS = frozenset({"datasets", "benchmarks", "corpora"})
# Words after a marker that make it name no thing ("on average", "in terms of").
_NEUTRAL_AFTER_MARKER = frozenset({"average", "terms", "addition", "particular", "total", "both"})
# Words after a number that make it a difference ("1.5% higher accuracy", "3% improvement").
RELATIVE_AFTER = frozenset(
    "higher lower better worse more less fewer faster slower smaller larger bigger cheaper "
    "lighter shorter improvement improvements gain gains increase increases decrease decreases "
    "reduction reductions boost drop lift margin speedup speed-up speedups relative absolute "
    "improved".split()
)
# Words before a number that make it a difference ("by 25%", "an improvement of 3%").
_RELATIVE_BEFORE = frozenset(
    "by improvement improvements gain gains increase increases reduction boost margin speedup "
    "speed-up".split()
)
# Verbs of change right before a number make it a difference ("reduces 71% FLOPs").
CHANGE_VERBS = frozenset(
    "reduce reduces reduced cut cuts improve improves improved boosts boosted lowers lowered "
    "improving reducing".split()
)
# Words that may sit between such a word and the number ("by up to 25%", "by an average of").
_APPROXIMATE = frozenset(
    "up to about around approximately nearly almost over roughly more than of an a average ~ "
    "at least".split()
)
# Words before a method that make it the baseline of a comparison ("over X", "than X").
BASELINE_MARKERS = frozenset({"over", "than", "vs", "vs.", "versus", "against"})
BASELINE_VERBS = ("outperform", "surpass", "beat", "exceed")
# Words between "compared to" or "than" and the metric of the score compared with.
QUALIFIER_WORDS = frozenset(
    "the a an sota state-of-the-art previous prior best reported published current".split())
NOT_MODIFIERS = frozenset(
    "a an the our its their this these those of on in for and or with to from by at as than "
    "new best average overall also".split()
)
# Words that may open a clause before its subject ("Our X", "the proposed X").
_SUBJECT_DETERMINERS = frozenset("the our a an this these its their proposed new final".split())
_CLAUSE_OPENERS = frozenset({"that", "while", "whereas"})
# "the generative model achieves": a lower-case phrase with one of these heads after one of
# these determiners refers back to the paper's own method.
_ANAPHOR_DETERMINERS = frozenset({"the", "our", "this", "these", "its"})
ANAPHOR_HEADS = frozenset(
    "model method approach network system framework architecture algorithm parser detector "
    "classifier encoder".split()
)
_ARROWS = frozenset({"→", "->", "⟶"})


class Reading(NamedTuple):
    """A number read as a possible result: token bounds, value, unit, metric if written with it."""

    start: int
    end: int
    value: float
    unit: str | None
    metric: Span | None


class SpanIndex(NamedTuple):
    """The labelled spans of a doc, by the token where they start and where they end."""

    metric_start: dict[int, Span]
    metric_end: dict[int, Span]
    dataset_start: dict[int, Span]
    dataset_end: dict[int, Span]
    other_start: dict[int, Span]
    other_end: dict[int, Span]
    names: set[int]


def inside_name(doc: Doc, i: int) -> bool:
    """Whether the number at ``i`` is glued to a name before it ("MobileNetV2-1.3", "v 2")."""
    if i == 0 or doc[i - 1].whitespace_:
        return False
    previous = doc[i - 1]
    if previous.is_alpha:
        return True
    return previous.text in ("-", "/") and i >= 2 and not doc[i - 2].whitespace_ \
        and doc[i - 2].text[-1].isalnum() and split_quantity(doc[i - 2].text) is None


def is_enumerator(doc: Doc, i: int) -> bool:
    """Whether the number at ``i`` numbers a list item: "(2) MetaFormer ...", "3) It ..."."""
    return doc[i].text.isdigit() and i + 1 < len(doc) and doc[i + 1].text == ")" and (
        doc[i].is_sent_start or doc[i - 1].text in ("(", ".", ";", ":", ","))


def is_reference(doc: Doc, i: int) -> bool:
    """Whether the number at ``i`` refers to a figure, table, section ("Fig. 3")."""
    previous = [t.lower_ for t in doc[max(i - 2, 0):i] if t.text != "."]
    return bool(previous) and previous[-1] in _REFERENCE_WORDS


def relative_before(doc: Doc, i: int, limit: int) -> bool:
    """Whether the words before the number at ``i`` make it a difference ("by up to 25%",
    "reduces 71% FLOPs"; not "improved to 62.1%")."""
    if i - 1 >= limit and doc[i - 1].lower_ in CHANGE_VERBS:
        return True
    j = i - 1
    while j >= limit and doc[j].lower_ in _APPROXIMATE:
        j -= 1
    return j >= limit and doc[j].lower_ in _RELATIVE_BEFORE


def relative_after(doc: Doc, i: int, limit: int) -> bool:
    """Whether the words after a number ending at ``i`` make it a difference ("2% higher")."""
    j = i
    while j < limit and doc[j].lower_ in ("points", "point", "percentage", "%"):
        j += 1
    return j < limit and doc[j].lower_ in RELATIVE_AFTER


def is_name_token(token: Token) -> bool:
    """A token spelled like a name: a capital after its first letter or a digit, and a letter
    ("WikiSQL", "SQA", "ML50"), not a number."""
    text = token.text
    return any(c.isalpha() for c in text) and split_quantity(text) is None and (
        any(c.isupper() for c in text[1:]) or any(c.isdigit() for c in text))


def doc_datasets(spans: list[Span], doc: Doc, bounds: list[tuple[int, int]]) -> list[Span]:
    """The DATASET spans of a doc, TASK spans with the name of one of them ("VQA" tagged a
    task in one sentence and a dataset in another), and names that open a sentence as what it
    reports on ("On ML50, ..."), the longest of each."""
    datasets = [s for s in spans if s.label_ == "DATASET"]
    keys = {name_key(s.text) for s in datasets}
    starts = {start + 1 + (start + 1 < len(doc) and doc[start + 1].lower_ == "the")
              for start, end in bounds if end - start > 3 and doc[start].lower_ == "on"}
    named = [Span(doc, s.start, s.end, label="DATASET") for s in spans
             if (s.label_ == "TASK" and name_key(s.text) in keys) or (
                 s.label_ in ("METHOD", "TASK") and s.start in starts and s.end < len(doc)
                 and doc[s.end].text == "," and is_name_token(doc[s.start]))]
    return maximal_spans(datasets + named)


def subject_position(doc: Doc, span: Span, start: int) -> bool:
    """Whether a name opens its clause ("Our X ...", "On COCO, X ...", "... show that X"),
    with no comparison before it in the sentence, or follows a sentence-opening "Using"
    before "we" ("Using the GPT-2 model we achieve ...")."""
    k = span.start - 1
    while k >= start and doc[k].lower_ in _SUBJECT_DETERMINERS:
        k -= 1
    if k == start and doc[k].lower_ == "using":
        after = span.end + (span.end < len(doc) and doc[span.end].text == ",")
        return after + 1 < len(doc) and doc[after].lower_ == "we" \
            and doc[after + 1].lower_ in RESULT_VERBS
    if any(doc[j].lower_.startswith((*BASELINE_VERBS, "compared"))
           or doc[j].lower_ in BASELINE_MARKERS for j in range(start, span.start)):
        return False
    return k < start or doc[k].text in (",", ":", ";") or doc[k].lower_ in _CLAUSE_OPENERS


def is_anaphor(doc: Doc, span: Span) -> bool:
    """Whether a method span refers back to the paper's own method: a lower-case phrase with
    a head such as "model" after "the", "our", "this" ("the generative model")."""
    words = span.text.split()
    return span.start > 0 and doc[span.start - 1].lower_ in _ANAPHOR_DETERMINERS and all(
        w.islower() for w in words) and singular_word(words[-1]) in ANAPHOR_HEADS


def counted_noun(doc: Doc, start: int, limit: int) -> Span | None:
    """The noun phrase after "fewer"/"less" that says what is counted ("training steps")."""
    end = start
    while end < min(limit, start + 3) and doc[end].is_alpha and doc[end].is_lower \
            and doc[end].lower_ not in NOT_MODIFIERS and not doc[end].lower_.endswith("ly"):
        end += 1
    return Span(doc, start, end, label="METRIC") if end > start else None


def owned_datasets(doc: Doc, readings: list[Reading],
                    index: SpanIndex) -> dict[tuple[int, int], Reading]:
    """The datasets named "on X" right after a number (and its metric), by their bounds, with
    that number: "81.2% top-1 accuracy on ImageNet"."""
    owned = {}
    for reading in readings:
        j = reading.end
        if j in index.metric_start:
            j = index.metric_start[j].end
        j += j < len(doc) and doc[j].lower_ == "the"
        if j + 1 < len(doc) and doc[j].lower_ in DATASET_MARKERS:
            k = j + 1 + (doc[j + 1].lower_ == "the")
            if k in index.dataset_start:
                span = index.dataset_start[k]
                owned.setdefault((span.start, span.end), reading)
    return owned


def opens_sentence(doc: Doc, span: Span, start: int) -> bool:
    """Whether a name opens its sentence as what it reports on: "On ML50, ..."."""
    k = span.start - 1 - (span.start > 0 and doc[span.start - 1].lower_ == "the")
    return k == start and doc[k].lower_ == "on"


def marks_dataset(doc: Doc, k: int, index: SpanIndex) -> bool:
    """Whether the marker word at ``k`` ("on", "in", ...) names a dataset, or nothing at all
    ("on average"), rather than another thing a number is measured on."""
    j = k + 1 + (k + 1 < len(doc) and doc[k + 1].lower_ == "the")
    return j >= len(doc) or j in index.dataset_start or doc[j].lower_ in _NEUTRAL_AFTER_MARKER


def before_parenthesis(doc: Doc, reading: Reading, index: SpanIndex) -> tuple[bool, Span | None]:
    """Whether a name right before the parenthesis a number opens says what it was measured
    on, and the dataset it names: "LAMBADA (66.5% ...)", "CORD (0.9493 → 0.9601)"; a name
    tagged a method there ("DocVQA (0.7295 → 0.8672)") is a thing that is no known dataset."""
    k = reading.start - 1
    while k > 0 and doc[k].text != "(" and (doc[k].text in _ARROWS or split_quantity(doc[k].text)):
        k -= 1
    if k < 1 or doc[k].text != "(":
        return False, None
    if k in index.dataset_end:
        return True, index.dataset_end[k]
    if k in index.other_end:
        span = index.other_end[k]
        if span.label_ == "TASK" and all(is_name_token(token) for token in span):
            return True, Span(doc, span.start, span.end, label="DATASET")
        return span.label_ == "METHOD", None
    arrow = after_arrow(doc, reading) or (
        reading.end < len(doc) and doc[reading.end].text in _ARROWS)
    if arrow and is_name_token(doc[k - 1]) and k - 1 not in index.names \
            and k not in index.metric_end:
        return True, Span(doc, k - 1, k, label="DATASET")
    return False, None


def after_arrow(doc: Doc, reading: Reading) -> bool:
    """Whether a number is the new value of "0.7895 → 0.8420"."""
    return reading.start >= 2 and doc[reading.start - 1].text in _ARROWS \
        and split_quantity(doc[reading.start - 2].text) is not None


def earlier_value(doc: Doc, reading: Reading, readings: list[Reading], index: SpanIndex,
                   start: int) -> bool:
    """Whether a number is the value a result is compared with rather than a result: the
    first of "from 60.3% to 60.5%" and "0.7895 → 0.8420", the X of "compared to the SOTA
    accuracy of X" or of "a simple baseline (X)" (scores no method of the text is named for)."""
    if reading.start >= 2 and doc[reading.start - 1].text == "(" \
            and doc[reading.start - 2].lower_ in ("baseline", "baselines"):
        return True  # "a significant improvement over a simple baseline (20%)"
    following = next((r for r in readings if r.start >= reading.end), None)
    if following is not None:
        between = [t.lower_ for t in doc[reading.end:following.start]]
        if len(between) == 1 and between[0] in _ARROWS:
            return True
        if between == ["to"] and reading.start > start and doc[reading.start - 1].lower_ == "from":
            return True
    j = reading.start - 1
    if j <= start or doc[j].lower_ != "of" or j not in index.metric_end:
        return False
    k = index.metric_end[j].start
    while k > start and doc[k - 1].lower_ in QUALIFIER_WORDS:
        k -= 1
    return k > start and (doc[k - 1].lower_ in ("than", "vs", "vs.", "versus") or (
        k - 1 > start and doc[k - 2].lower_ == "compared" and doc[k - 1].lower_ in ("to", "with")))


def method_after(doc: Doc, after: int, index: SpanIndex) -> Span | None:
    """The method a number is reported for: "2.27 FID for DiT-XL/2"."""
    j = after + (after < len(doc) and doc[after].lower_ == "the")
    if j + 1 < len(doc) and doc[j].lower_ == "for" and j + 1 in index.other_start:
        span = index.other_start[j + 1]
        return span if span.label_ == "METHOD" else None
    return None


def on_each(doc: Doc, sentence: list[ResultSpan], start: int, end: int,
             both: list[Span]) -> list[ResultSpan]:
    """A result "on both datasets" is one result on each of ``both``, the last two datasets
    the doc reported results on ("cuts the error rate by 30% on both datasets")."""
    said = [j for j in range(start, end - 1)
            if doc[j].lower_ == "both" and doc[j + 1].lower_ in _BOTH_KINDS]
    if len(both) < 2 or not said:
        return sentence
    spread = []
    for result in sentence:
        if result.dataset is None and any(doc[j].idx >= result.end_char for j in said):
            spread += [result._replace(dataset=dataset) for dataset in both]
        else:
            spread.append(result)
    return spread


def range_end(doc: Doc, chain: list[Reading], k: int) -> bool:
    """Whether the k-th number of a chain closes a range: "between 10x and 20x", "2.8-3.7"
    (the range is one result, read as its first number)."""
    if k == 0:
        return False
    previous, reading = chain[k - 1], chain[k]
    between = doc[previous.end:reading.start]
    if len(between) == 1 and between[0].text in ("-", "–") and not between[0].whitespace_ \
            and not doc[previous.end - 1].whitespace_:
        return True
    return k == 1 and [t.lower_ for t in between] == ["and"] and previous.start > 0 \
        and doc[previous.start - 1].lower_ == "between"


def compared_with(doc: Doc, reading: Reading, start: int) -> bool:
    """Whether a number is the score something is compared with ("compared to 90% ...",
    "than 75%")."""
    j = reading.start - 1
    return j >= start and (doc[j].lower_ in ("than", "vs", "vs.", "versus") or (
        j > start and doc[j - 1].lower_ == "compared" and doc[j].lower_ in ("to", "with")))


def continues_list(doc: Doc, previous: Reading, reading: Reading, verbs: frozenset[str]) -> bool:
    """Whether a number continues the list the number before it opens: "by 7.06 mAP for
    NuImages and 12.9 mAP for COCO" (a few words, ending in "and" or a comma, no verb)."""
    between = doc[previous.end:reading.start]
    return 0 < len(between) <= 8 and between[-1].lower_ in ("and", ",") and not any(
        t.lower_ in verbs for t in between)


def with_range_units(doc: Doc, chain: list[Reading]) -> list[Reading]:
    """The chain with the first number of a range in the unit of its last ("20-30%")."""
    return [reading._replace(unit=chain[k + 1].unit, metric=chain[k + 1].metric)
            if k + 1 < len(chain) and reading.unit is None and range_end(doc, chain, k + 1)
            else reading for k, reading in enumerate(chain)]


def is_parenthesised(doc: Doc, chain: list[Reading], previous: Reading) -> bool:
    """Whether a chain is one number in parentheses right after another: "89.5% (+2.3%)"."""
    return len(chain) == 1 and chain[0].start >= 1 and doc[chain[0].start - 1].text == "(" \
        and chain[0].start - 1 == previous.end


def reading_chains(doc: Doc, readings: list[Reading]) -> list[list[Reading]]:
    """Group readings written together ("44.1% and 30.5%", "1.5% to 6.4%")."""
    chains = [[readings[0]]]
    for previous, reading in zip(readings, readings[1:], strict=False):
        between = doc[previous.end:reading.start]
        if len(between) <= 2 and all(t.lower_ in _CHAIN_WORDS for t in between):
            chains[-1].append(reading)
        else:
            chains.append([reading])
    return chains


def maximal_spans(spans: Iterable[Span]) -> list[Span]:
    """The spans not inside a longer one, in order ("COCO" inside "COCO-QA dataset" goes)."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    for span in ordered:
        if kept and span.start >= kept[-1].start and span.end <= kept[-1].end:
            continue
        kept.append(span)
    return kept
