"""The ``kg_results`` component: reported numbers tied to a metric, a dataset and a method.

A result is a number with a unit ("87.8%", "2.4x", "3.1 points", "23.1 ms", "295M FLOPs") or a
bare number next to a metric name ("an FID of 2.05", "41.2 BLEU").  Counts ("9 datasets",
"100M images", "8 GPUs"), years, model sizes ("7B"), resolutions ("256x256"), references
("Fig. 3") and numbers inside names ("GPT-3.5", "MobileNetV2-1.3") are not results.

Conventions, kept by every ``ResultSpan`` in ``doc._.kg_results``:

* ``value`` is the number ("1,024" -> 1024.0) scaled to ``unit``, one of "%", "x",
  "points", "dB", "ms" (seconds are rescaled), "fps", "M params", "GFLOPs", "GMACs"
  (``numbers.normalise_quantity``), or None: a bare number ("an FID of 2.05") and a number
  written before its metric ("41.2 BLEU", the metric is BLEU) have no unit.
* ``kind`` is "relative" for a difference or ratio ("+1.3%", "2.4x faster", "by up to 25%",
  "3.1 points", "1.5% higher accuracy"), else "absolute"; ``baseline`` is the METHOD span a
  relative claim compares with ("than X", "over X", "outperforms X by ...").
* ``setting`` is a split or protocol written near the number ("val", "test-dev",
  "zero-shot", "5-shot", "256x256"), None when there is none.
* ``metric`` is a METRIC span, looked for in this order: written with the number ("41.2
  BLEU", "an FID of 2.05", "compared to the SOTA accuracy of ..."), shared by the numbers
  written together, the last one named before it in its clause ("cuts the error rate ... by
  30%"), that of the result right after it ("30% relative improvement to 67.2% mean IU"), that
  of the result before it in the sentence with the same unit, and, in a sentence naming no
  metric, that of the sentence before.  Names are those of the other components and of kg's
  metric table (``kg.normalize.metrics``); the table's names this component finds itself are
  appended to ``doc.spans["kg_candidates"]`` when a result uses them.  A dataset name written
  before the metric is the dataset ("WikiSQL denotation accuracy": metric "denotation
  accuracy", dataset "WikiSQL").  For "2.4x smaller" / "1.5x faster" the metric is the
  comparative word itself ("smaller" for size, "faster" for speed), for "14x fewer training
  steps" what is counted.
* ``dataset`` is a DATASET span: written in the metric; "X (…number…)" before the number;
  zipped with "respectively"; "on X" after the number before any other result; "on X" before
  it, unless X is the dataset of the result it follows ("81.2% on ImageNet and 45.0 mIoU")
  and does not open the sentence ("On ML50, ..."); the nearest one in the clause; or the one
  name-like dataset of the sentence before when that sentence reports nothing ("We run
  experiments on TIMIT. We achieve 17.3% PER").  None when the number is measured "on" a
  named thing that is not a dataset ("+2.4% F1 on NER").  A result "on both datasets" is one
  result on each of the last two datasets reported.
* ``method`` is the METHOD span that is the subject of a result verb ("X achieves ...", "Our X
  ... reaches", "Using X, we achieve ..."), a TASK span directly before one ("sequence-level
  training achieves"), or, for a score compared with, "for X" after it ("compared with 2.27
  FID for DiT-XL/2"); None for an anaphor of the paper's own method ("the generative model
  achieves"), which ``kg.normalize.results`` ties to the paper's proposed method.
* The score a result is compared with is no result unless the text names its method: the
  first number of "from 60.3% to 60.5%" and "0.7895 → 0.8420", "compared to the SOTA
  accuracy of 63.2%", "a simple baseline (20%)".  A range is one result, read as its first
  number ("between 10x and 20x", "2.8-3.7").  List numbers ("(2) ...") are no results.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import islice
from typing import NamedTuple

import numpy
from spacy.attrs import PREFIX
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.extract.candidates import (
    COMPARISON_WORDS,
    METRIC_NAMES,
    RESULT_VERBS,
    MetricMatcher,
    add_spans,
    covered_tokens,
    labelled_spans,
    link_tokens,
    positions,
    sentence_bounds,
)
from kg.extract.extensions import CANDIDATES_KEY, ResultSpan, register_extensions
from kg.extract.numbers import (
    MAGNITUDES,
    is_year,
    normalise_quantity,
    normalise_unit,
    number_first_characters,
    split_quantity,
)
from kg.normalize.metrics import metric_table, setting_of
from kg.normalize.names import name_key, singular_word

__all__ = [
    "COMPARATIVES",
    "Reading",
    "ResultFinder",
    "make_results",
]

# Comparatives that name the quantity compared: "2.4x smaller" (size), "1.5x faster" (speed).
COMPARATIVES: tuple[str, ...] = (
    "cheaper", "faster", "fewer", "larger", "lighter", "shorter", "slower", "smaller",
)
# Counted things that are results with a magnitude: "295M FLOPs", "3.4M params".
COST_NOUNS: dict[str, str] = {
    "params": "params", "parameters": "params", "flops": "FLOPs", "macs": "MACs",
}
DEFAULT_CONFIDENCE: dict[str, float] = {
    "unit": 0.5, "bare": 0.45, "metric": 0.2, "comparative": 0.1, "dataset": 0.1,
    "method": 0.1, "maximum": 0.9, "metric_entity": 0.6,
}
# Words that may sit between a number and its metric.
_FORWARD_SKIP = frozenset(
    "absolute average better boost decrease drop final gain gains higher improvement "
    "improvements in increase increases less lower more of overall reduction relative the "
    "top".split()
)
_BACKWARD_SKIP = frozenset(
    "( : = ~ a about achieves achieving almost an approximately are around at by from is just "
    "least nearly of on only over reached reaches reaching roughly score scores the to up was "
    "were with".split()
)
# Tokens that join numbers reported together ("44.1% and 30.5%", "1.5% to 6.4%").
_CHAIN_WORDS = frozenset({"and", ",", "to", "or", "-", "–", "vs", "vs.", "/"})
# Words that may follow a bare number that is a result ("an FID of 2.05 at 256x256").
_AFTER_BARE = frozenset(
    "across and at compared for in on or over respectively than when while with".split()
)
_REFERENCE_WORDS = frozenset(
    "appendix chapter eq eq. equation fig fig. figure figures section sec sec. step table "
    "tables version".split()
)
_ADVERBS = frozenset(
    "also consistently even further greatly largely now only still substantially".split()
)
_DATASET_MARKERS = frozenset({"on", "in", "across", "over", "for"})
# "on both datasets": a result on each of two datasets.
_BOTH_KINDS = frozenset({"datasets", "benchmarks", "corpora"})
# Markers whose object, when it is no dataset, is what the numbers after it are measured on.
_BLOCKING = frozenset({"on", "in", "for", "across"})
# Words after a marker that make it name no thing ("on average", "in terms of").
_NEUTRAL_AFTER_MARKER = frozenset({"average", "terms", "addition", "particular", "total", "both"})
# Words after a number that make it a difference ("1.5% higher accuracy", "3% improvement").
_RELATIVE_AFTER = frozenset(
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
_CHANGE_VERBS = frozenset(
    "reduce reduces reduced cut cuts improve improves improved boosts boosted lowers lowered "
    "improving reducing".split()
)
# Words that may sit between such a word and the number ("by up to 25%", "by an average of").
_APPROXIMATE = frozenset(
    "up to about around approximately nearly almost over roughly more than of an a average ~ "
    "at least".split()
)
# Words before a method that make it the baseline of a comparison ("over X", "than X").
_BASELINE_MARKERS = frozenset({"over", "than", "vs", "vs.", "versus", "against"})
_BASELINE_PAIRS = frozenset({("compared", "to"), ("compared", "with"), ("relative", "to")})
_BASELINE_VERBS = ("outperform", "surpass", "beat", "exceed")
# Setting words that are settings only next to "set"/"split" or a dataset ("test set").
_AMBIGUOUS_SETTINGS = frozenset({"test", "dev", "fine-tuned"})
# "fewer"/"less" followed by what is counted ("14x fewer training steps").
_COUNTED = frozenset({"fewer", "less"})
# Words between "compared to" or "than" and the metric of the score compared with.
_QUALIFIER_WORDS = frozenset(
    "the a an sota state-of-the-art previous prior best reported published current".split())
# At most this many lower-case words between a dataset name and its metric ("WikiSQL
# denotation accuracy").
_COMPOUND_WORDS = 2
_NOT_MODIFIERS = frozenset(
    "a an the our its their this these those of on in for and or with to from by at as than "
    "new best average overall also".split()
)
# Words that may open a clause before its subject ("Our X", "the proposed X").
_SUBJECT_DETERMINERS = frozenset("the our a an this these its their proposed new final".split())
_CLAUSE_OPENERS = frozenset({"that", "while", "whereas"})
# "the generative model achieves": a lower-case phrase with one of these heads after one of
# these determiners refers back to the paper's own method.
_ANAPHOR_DETERMINERS = frozenset({"the", "our", "this", "these", "its"})
_ANAPHOR_HEADS = frozenset(
    "model method approach network system framework architecture algorithm parser detector "
    "classifier encoder".split()
)
_ARROWS = frozenset({"→", "->", "⟶"})
_RESOLUTION = re.compile(r"^\d{2,4}[x×]\d{2,4}$")
_SETTING_WINDOW = 8
# Units written as one word that name what they count ("4.1 GFLOPs").
_COST_UNITS = frozenset({"GFLOPs", "M FLOPs", "T FLOPs", "GMACs"})


class Reading(NamedTuple):
    """A number read as a possible result: token bounds, value, unit, metric if written with it."""

    start: int
    end: int
    value: float
    unit: str | None
    metric: Span | None


class _Index(NamedTuple):
    """The labelled spans of a doc, by the token where they start and where they end."""

    metric_start: dict[int, Span]
    metric_end: dict[int, Span]
    dataset_start: dict[int, Span]
    dataset_end: dict[int, Span]
    other_start: dict[int, Span]
    other_end: dict[int, Span]
    names: set[int]


class _Context(NamedTuple):
    """What the sentence before says that a sentence may leave unsaid: the metric (and unit)
    of its last result, and its one dataset when it names one and reports nothing."""

    metric: Span | None = None
    unit: str | None = None
    dataset: Span | None = None


class _Found(NamedTuple):
    """The names tied to one reading so far."""

    metric: Span | None
    dataset: Span | None
    comparative: bool


def _by_position(spans: Iterable[Span]) -> tuple[dict[int, Span], dict[int, Span]]:
    """Longest span starting / ending at each token."""
    starts: dict[int, Span] = {}
    ends: dict[int, Span] = {}
    for span in sorted(spans, key=len):
        starts[span.start] = span
        ends[span.end] = span
    return starts, ends


def _maximal(spans: Iterable[Span]) -> list[Span]:
    """The spans not inside a longer one, in order ("COCO" inside "COCO-QA dataset" goes)."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    for span in ordered:
        if kept and span.start >= kept[-1].start and span.end <= kept[-1].end:
            continue
        kept.append(span)
    return kept


def metric_gazetteer(names: Iterable[str] = METRIC_NAMES) -> tuple[list[str], list[str]]:
    """The metric names ``kg_results`` looks for: ``names`` and the canonical names and
    aliases of kg's metric table, with the plural of lower-case names ("perplexities"); and,
    apart, the table's all-capital names, looked for only as written ("PER", not "per").

    A one-word lower-case alias ("size", "error") names a metric only next to the word it
    abbreviates, so only the table's canonical names and its longer or capitalised aliases
    are looked for on their own.

    >>> names, acronyms = metric_gazetteer(["accuracy"])
    >>> "perplexities" in names, "size" in names, "PER" in acronyms, "PER" in names
    (True, False, True, False)
    """
    found = dict.fromkeys(names)
    table: dict[str, None] = {}
    for term in metric_table().terms.values():
        table[term.canonical] = None
        for alias in term.aliases:
            if " " in alias or alias != alias.lower() or not alias.isalpha():
                table[alias] = None
    acronyms = [name for name in table if name not in found and name == name.upper()
                and any(c.isalpha() for c in name)]
    found.update((name, None) for name in table if name not in acronyms)
    for name in list(found):
        last = name.rpartition(" ")[2]
        if last.isalpha() and last.islower() and len(last) > 3 and not last.endswith("s"):
            found[name[:-1] + "ies" if last.endswith("y") else name + "s"] = None
    return list(found), acronyms


class ResultFinder:
    """Writes the results a doc reports to ``doc._.kg_results``."""

    def __init__(
        self,
        nlp: Language,
        metric_names: Iterable[str] = METRIC_NAMES,
        result_verbs: Iterable[str] = RESULT_VERBS,
        comparatives: Iterable[str] = COMPARATIVES,
        confidence: dict[str, float] | None = None,
    ) -> None:
        register_extensions()
        self.confidence = {**DEFAULT_CONFIDENCE, **(confidence or {})}
        self.result_verbs = frozenset(result_verbs) | {"is", "are", "runs", "achieve"} \
            | _CHANGE_VERBS
        self.comparatives = frozenset(comparatives)
        names, acronyms = metric_gazetteer(metric_names)
        self.metric_matcher = MetricMatcher(nlp, names)
        self.acronym_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.acronym_matcher.add("METRIC", [nlp.make_doc(name) for name in acronyms])
        self.table = metric_table()
        # A token's PREFIX attribute is its first character: numbers start only with these.
        self.number_prefixes = numpy.array(
            sorted(get_string_id(char) for char in number_first_characters()), dtype=numpy.uint64)

    # -- metric names -------------------------------------------------------------------

    def metric_names(self, doc: Doc, taken: set[int], labelled: set[tuple[int, int]]) -> list[Span]:
        """Metric names of ``doc`` outside the tokens ``taken`` by other names and not
        already ``labelled`` METRIC at the same bounds, with a following "score(s)" kept
        ("SPIDEr scores")."""
        spans = []
        found = filter_spans([doc[start:end] for start, end in self.metric_matcher(doc)]
                             + [doc[start:end] for _, start, end in self.acronym_matcher(doc)])
        for start, end in ((span.start, span.end) for span in found):
            if end < len(doc) and doc[end].lower_ in ("score", "scores"):
                end += 1
            if (start, end) not in labelled and not any(i in taken for i in range(start, end)):
                spans.append(Span(doc, start, end, label="METRIC"))
        return spans

    # -- reading numbers ----------------------------------------------------------------

    def reading(self, doc: Doc, i: int, sentence_end: int, index: _Index) -> Reading | None:
        """The number at token ``i`` read with its unit, or None when it is no result."""
        token = doc[i]
        quantity = split_quantity(token.text)
        if quantity is None or i in index.names or _inside_name(doc, i) or _reference(doc, i) \
                or _enumerator(doc, i):
            return None
        end, unit, metric = i + 1, None, None
        following = doc[end] if end < sentence_end else None
        suffix = quantity.suffix
        if not suffix and following is not None and following.text in MAGNITUDES \
                and not token.whitespace_:
            suffix, end = following.text, end + 1
            following = doc[end] if end < sentence_end else None
        if suffix in MAGNITUDES:
            noun = following.lower_ if following is not None else ""
            if suffix in ("B", "T") or noun not in COST_NOUNS:
                return None
            unit = f"{suffix.upper() if suffix == 'k' else suffix} {COST_NOUNS[noun]}"
            metric = index.metric_start.get(end) or Span(doc, end, end + 1, label="METRIC")
            end += 1
        elif suffix:
            unit = normalise_unit(suffix)
            if unit is None or (unit == "s" and is_year(token.text[:-1])):  # "1990s"
                return None
        elif following is not None:
            unit, end = self._unit_after(doc, i, sentence_end)
            if unit in _COST_UNITS:  # "4.1 GFLOPs": the unit names the metric
                metric = index.metric_start.get(end - 1) or Span(doc, end - 1, end, label="METRIC")
            if unit is None and end in index.metric_start:
                metric = index.metric_start[end]
                unit, end = metric.text, metric.end
        if unit is None:
            if is_year(token.text) or (following is not None and following.is_alpha
                                       and following.lower_ not in _AFTER_BARE):
                return None
        elif unit == "%" and end < sentence_end and doc[end].lower_ == "of":
            return None
        return Reading(i, end, quantity.value, unit, metric)

    def _unit_after(self, doc: Doc, i: int, sentence_end: int) -> tuple[str | None, int]:
        """The unit written as the word(s) after a bare number, and where the reading ends."""
        following = doc[i + 1]
        lower = following.lower_
        if lower == "percentage" and i + 2 < sentence_end and doc[i + 2].lower_ == "points":
            return "points", i + 3
        unit = normalise_unit(following.text)
        after = doc[i + 2] if i + 2 < sentence_end else None
        if unit == "x" and after is not None and split_quantity(after.text) is not None:
            return None, i + 1  # "256 x 256" is a resolution
        if lower == "times" and not (
            any(t.lower_ == "by" for t in doc[max(i - 3, 0):i])
            or (after is not None and after.lower_ in self.comparatives | {"more", "less"})
        ):
            return None, i + 1
        return (unit, i + 2) if unit else (None, i + 1)

    # -- tying readings to names --------------------------------------------------------

    def _forward_metric(self, doc: Doc, reading: Reading, limit: int, index: _Index) -> _Found:
        """The metric written after a reading, the dataset passed on the way, and whether the
        metric is a comparative word; "compared to the SOTA accuracy of ..." names it too."""
        j, dataset, compared = reading.end, None, False
        while j < limit:
            if j in index.metric_start and not (  # "ImageNet" tagged both ways is a dataset
                    j in index.dataset_start
                    and index.dataset_start[j].end >= index.metric_start[j].end):
                return _Found(self._continued(doc, index.metric_start[j], limit), dataset, False)
            if j in index.dataset_start and dataset is None:
                dataset = index.dataset_start[j]
                j = dataset.end
                continue
            lower = doc[j].lower_
            if lower in self.comparatives or lower == "less":
                if j + 1 in index.metric_start:
                    return _Found(index.metric_start[j + 1], dataset, False)
                counted = _counted_noun(doc, j + 1, limit) if lower in _COUNTED else None
                if counted is not None:  # "14 times fewer training steps"
                    return _Found(counted, dataset, False)
                if lower == "less":
                    break
                return _Found(Span(doc, j, j + 1, label="METRIC"), dataset, True)
            if lower == "compared" and j + 1 < limit and doc[j + 1].lower_ in ("to", "with"):
                j, compared = j + 2, True
                continue
            if lower not in _FORWARD_SKIP and not (compared and lower in _QUALIFIER_WORDS):
                break
            j += 1
        return _Found(None, dataset, False)

    def _continued(self, doc: Doc, metric: Span, limit: int) -> Span:
        """A metric name continued after a parenthesis: "top-1 (7.8% top-5) error" is a
        top-1 error, and so is the "top-5) error" inside it."""
        j = metric.end
        if j < limit and doc[j].text == "(":
            j = next((k + 1 for k in range(j + 1, min(limit, j + 10)) if doc[k].text == ")"), j)
        elif j < limit and doc[j].text == ")":
            j += 1
        if metric.end < j < limit and doc[j].is_alpha \
                and self.table.term(f"{metric.text} {doc[j].text}") is not None:
            return Span(doc, metric.start, j + 1, label="METRIC")
        return metric

    @staticmethod
    def _backward_metric(doc: Doc, reading: Reading, limit: int, index: _Index) -> Span | None:
        """"an FID of 2.05", "improves mAP by 3.1 points", "accuracy on ImageNet of 80%"."""
        j = reading.start
        while j > limit:
            if j in index.metric_end:
                return index.metric_end[j]
            if j in index.dataset_end:
                j = index.dataset_end[j].start
                continue
            if doc[j - 1].lower_ not in _BACKWARD_SKIP:
                break
            j -= 1
        return None

    @staticmethod
    def _preceding_metric(doc: Doc, reading: Reading, limit: int, index: _Index) -> Span | None:
        """The last metric named between ``limit`` and the reading, in the same clause
        ("cuts the error rate ... by 30%", "perplexities on X and Y to 51.1 and 44.3")."""
        for j in range(reading.start, limit, -1):
            if j in index.metric_end:
                return index.metric_end[j]
            if doc[j - 1].text in (";", ":"):
                break
        return None

    @staticmethod
    def _compound(doc: Doc, metric: Span, index: _Index) -> tuple[Span, Span | None]:
        """A metric with the name of a dataset written before it, and that dataset:
        "WikiSQL denotation accuracy" is denotation accuracy measured on WikiSQL (also when
        "WikiSQL denotation" was tagged a metric of its own)."""
        j, words = metric.start, 0
        while j > 0 and words < _COMPOUND_WORDS:
            before = index.dataset_end.get(j) or index.other_end.get(j) or (
                index.metric_end[j] if j in index.metric_end
                and _is_name_token(doc[index.metric_end[j].start]) else None)
            if before is not None:
                name = next((k for k in range(before.start, j) if _is_name_token(doc[k])), None)
                if name is None or before.label_ == "METHOD":
                    return metric, None
                end = next(k for k in range(name, j + 1) if k == j or not _is_name_token(doc[k]))
                return (Span(doc, end, metric.end, label="METRIC"),
                        Span(doc, name, end, label="DATASET"))
            token = doc[j - 1]
            if j in index.metric_end or j - 1 in index.names or token.lower_ in _QUALIFIER_WORDS:
                return metric, None
            if _is_name_token(token):
                return (Span(doc, j, metric.end, label="METRIC"),
                        Span(doc, j - 1, j, label="DATASET"))
            if not (token.is_alpha and token.is_lower) or token.lower_ in _NOT_MODIFIERS \
                    or token.lower_ in RESULT_VERBS or token.lower_ in _CHANGE_VERBS \
                    or token.lower_.endswith(("ing", "ed")):
                return metric, None
            j, words = j - 1, words + 1
        return metric, None

    def _subjects(self, doc: Doc, start: int, end: int, methods: list[Span],
                  tasks: list[Span]) -> list[tuple[Span, bool]]:
        """The METHOD spans of the sentence doc[start:end] that are the subject of a result
        verb, each with whether it is an anaphor of the paper's own method ("the generative
        model achieves"); a TASK span directly before a result verb acts as a method
        ("sequence-level training achieves")."""
        verbs = [j for j in range(start, end) if doc[j].lower_ in self.result_verbs]
        if not verbs:
            return []
        subjects = []
        for span in sorted([*methods, *tasks], key=lambda s: s.start):
            if span.start > start and doc[span.start - 1].lower_ in COMPARISON_WORDS:
                continue
            j = span.end
            while j < end and (doc[j].lower_ in _ADVERBS or doc[j].lower_.endswith("ly")
                               or doc[j].text == ")" or doc[j].lower_ in ("which", "that")
                               or (j == span.end and doc[j].lower_ in _ANAPHOR_HEADS)
                               or (doc[j].text == "," and j + 1 < end
                                   and doc[j + 1].lower_ == "which")):
                j += 1
            direct = j < end and doc[j].lower_ in self.result_verbs
            if span.label_ == "TASK" and not direct:
                continue
            if direct or (_subject_position(doc, span, start)
                          and any(verb >= span.end for verb in verbs)):
                subjects.append((span, _anaphor(doc, span)))
        return subjects

    @staticmethod
    def _dataset(doc: Doc, reading: Reading, after: int, others: list[Reading],
                 datasets: list[Span], index: _Index, start: int,
                 owned: dict[tuple[int, int], Reading]) -> Span | None:
        """The dataset of a reading that ends (with its metric) at ``after``: "on X" after
        it, before another result; else "on X" before it in the same clause, unless X is
        ``owned`` by the result it follows ("81.2% top-1 accuracy on ImageNet and 45.0 mIoU")
        and does not open the sentence ("On ML50, ..."); else the nearest dataset of the
        clause.  None when the number is measured "on" a named thing that is
        no dataset ("+2.4% F1 score on NER")."""
        j = after
        while j < len(doc) and doc[j].lower_ in _RELATIVE_AFTER | {"the"}:
            j += 1  # "0.62% F1 score improvement on NER"
        if j + 1 < len(doc) and doc[j].lower_ in _DATASET_MARKERS and j + 1 in index.other_start:
            return None
        def marked(span: Span) -> bool:
            k = span.start - 1
            if k >= 0 and doc[k].lower_ == "the":
                k -= 1
            return k >= 0 and doc[k].lower_ in _DATASET_MARKERS
        def crossed(low: int, high: int) -> bool:
            return any(low <= other.start < high for other in others) 
        def blocked(low: int, high: int) -> bool:
            return any(doc[k].lower_ in _BLOCKING and not _marks_dataset(doc, k, index)
                       for k in range(low, high))
        following = [s for s in datasets if s.start >= reading.end and marked(s)
                     and not crossed(after, s.start)]
        if following:
            return following[0]
        preceding = [s for s in datasets if s.end <= reading.start
                     and not blocked(s.end, reading.start)
                     and (_opens_sentence(doc, s, start)
                          or owned.get((s.start, s.end), reading) == reading)]
        marked_before = [s for s in preceding if marked(s)]
        if marked_before:
            return marked_before[-1]
        nearby = preceding + [s for s in datasets if s.start >= reading.end
                              and not crossed(reading.end, s.start)
                              and not blocked(reading.end, s.start)]
        if not nearby:
            return None
        return min(nearby, key=lambda s: min(abs(s.start - reading.end),
                                             abs(reading.start - s.end)))

    # -- the component ------------------------------------------------------------------

    def results(self, doc: Doc) -> tuple[list[ResultSpan], list[Span]]:
        """The results of ``doc`` and the metric names it found itself that they use."""
        spans = labelled_spans(doc)
        labelled_metrics = [s for s in spans if s.label_ == "METRIC"]
        others = [s for s in spans if s.label_ != "METRIC"]
        own = self.metric_names(doc, covered_tokens(others),
                                {(s.start, s.end) for s in labelled_metrics})
        metric_start, metric_end = _by_position(labelled_metrics + own)
        bounds = sentence_bounds(doc)
        datasets = _datasets(spans, doc, bounds)
        dataset_keys = {(s.start, s.end) for s in datasets}
        dataset_start, dataset_end = _by_position(datasets)
        non_datasets = [s for s in others if s.label_ in ("METHOD", "TASK")
                        and (s.start, s.end) not in dataset_keys]
        other_start, other_end = _by_position(non_datasets)
        table = metric_table()
        # Numbers inside names are no results; a METRIC span that holds a number and is no
        # known metric name was cut wide ("average 1 BLEU").
        names = covered_tokens(s for s in spans if s.label_ != "METRIC"
                               or table.term(s.text) is not None) | link_tokens(doc)
        index = _Index(metric_start, metric_end, dataset_start, dataset_end, other_start,
                       other_end, names)
        datasets_of = _by_sentence(datasets, bounds)
        methods_of = _by_sentence([s for s in non_datasets if s.label_ == "METHOD"], bounds)
        tasks_of = _by_sentence([s for s in non_datasets if s.label_ == "TASK"], bounds)
        metrics_of = _by_sentence(labelled_metrics + own, bounds)
        number_starts = positions(doc.to_array(PREFIX), self.number_prefixes)
        results: list[ResultSpan] = []
        used: dict[tuple[int, int], Span] = {}
        context = _Context()
        own_bounds = {(s.start, s.end) for s in own}
        reported: dict[str, Span] = {}  # the datasets of the results so far, the latest last
        for number, (start, end) in enumerate(bounds):
            candidates = number_starts[bisect_left(number_starts, start):
                                       bisect_left(number_starts, end)]
            sentence = self._sentence(doc, start, end, candidates, index, datasets_of[number],
                                      methods_of[number], tasks_of[number],
                                      context if not metrics_of[number] else
                                      context._replace(metric=None))
            latest = list(islice(reversed(reported.values()), 2))[::-1]
            sentence = _on_each(doc, sentence, start, end, latest)
            for result in sentence:
                results.append(result)
                metric = result.metric
                if metric is not None and (metric.start, metric.end) in own_bounds:
                    used[(metric.start, metric.end)] = metric
                if result.dataset is not None:
                    reported.pop(result.dataset.text, None)
                    reported[result.dataset.text] = result.dataset
            if sentence:
                last = sentence[-1]
                context = _Context(last.metric, last.unit, None)
            else:
                named = [s for s in datasets_of[number] if any(map(_is_name_token, s))]
                context = _Context(None, None, named[0] if len(datasets_of[number]) == 1
                                   and named else None)
        return results, list(used.values())

    def _sentence(self, doc: Doc, start: int, end: int, candidates: list[int], index: _Index,
                  datasets: list[Span], methods: list[Span], tasks: list[Span],
                  context: _Context) -> list[ResultSpan]:
        """The results of the sentence doc[start:end], whose numbers can only start at the
        tokens ``candidates``; ``context`` is what the sentence before leaves to it."""
        readings = []
        i = start
        for candidate in candidates:
            reading = self.reading(doc, candidate, end, index) if candidate >= i else None
            if reading is not None:
                readings.append(reading)
                i = reading.end
        if not readings:
            return []
        subjects = self._subjects(doc, start, end, methods, tasks)
        respectively = any(t.lower_ == "respectively" for t in doc[start:end])
        chains = _chains(doc, readings)
        owned = _owned_datasets(doc, readings, index)
        by_before = False  # the chain before is a difference written "by N"
        results: list[ResultSpan] = []
        previous_metric: tuple[Span | None, str | None, bool] = (None, None, False)
        for number, chain in enumerate(chains):
            chain = _with_range_units(doc, chain)
            found = []
            for k, reading in enumerate(chain):
                limit = chain[k + 1].start if k + 1 < len(chain) else end
                if reading.metric is not None:
                    found.append(_Found(reading.metric, None, False))
                    continue
                forward = self._forward_metric(doc, reading, limit, index)
                if forward.metric is None:
                    previous = chain[k - 1].end if k else start
                    forward = forward._replace(
                        metric=self._backward_metric(doc, reading, previous, index))
                found.append(forward)
            first = next((f for f in found if f.metric is not None), None)
            if first is None and (chain[-1].unit is not None or len(chain) > 1 or respectively):
                first = self._fallback_metric(doc, chains, number, index, previous_metric,
                                              context, start)
            others = [r for r in readings if r not in chain]
            next_start = chains[number + 1][0].start if number + 1 < len(chains) else end
            chain_datasets = [s for s in datasets if chain[-1].end <= s.start < next_start]
            if chain_datasets and any(t.text == ","
                                      for t in doc[chain[-1].end:chain_datasets[0].start]):
                chain_datasets = []  # "51.1 and 44.3 respectively, and ... on X and Y": not these
            if not (respectively and len(chain) > 1 and len(chain_datasets) == len(chain)):
                chain_datasets = [s for s in datasets if s.end <= chain[0].start][-len(chain):]
            zipped = respectively and len(chain) > 1 and len(chain_datasets) == len(chain)
            chain_relative = _relative_before(doc, chain[0].start, start) or \
                _relative_after(doc, chain[-1].end, end) or (
                    by_before and _parallel(doc, chains[number - 1][-1], chain[0],
                                            self.result_verbs))
            by_before = _relative_before(doc, chain[0].start, start) and \
                doc[chain[0].start - 1].lower_ == "by"
            enclosed = number > 0 and _parenthesised(doc, chain, chains[number - 1][-1])
            for k, reading in enumerate(chain):
                if _earlier_value(doc, reading, readings, index, start) \
                        or _range_end(doc, chain, k):
                    continue
                own = found[k] if found[k].metric is not None else first
                metric, is_comparative = (own.metric, own.comparative) if own else (None, False)
                if metric is None and reading.unit is None and not _after_arrow(doc, reading):
                    continue
                compound_dataset = None
                if metric is not None and not is_comparative:
                    metric, compound_dataset = self._compound(doc, metric, index)
                after = max(reading.end, metric.end if metric is not None
                            and metric.start >= reading.end else 0)
                compared = _method_after(doc, after, index) \
                    if _compared_with(doc, reading, start) else None
                if _compared_with(doc, reading, start) and compared is None:
                    continue  # "compared to 90% accuracy of human annotators": no result
                if enclosed and results:
                    dataset = results[-1].dataset
                else:
                    decided, enclosing = _before_parenthesis(doc, reading, index)
                    dataset = compound_dataset or found[k].dataset or (
                        enclosing if decided else chain_datasets[k] if zipped
                        else self._dataset(doc, reading, after, others, datasets, index, start,
                                           owned))
                if dataset is None and not datasets:
                    dataset = context.dataset
                subject = next((s for s in reversed(subjects) if s[0].end <= reading.start), None)
                method = compared or (
                    subject[0] if subject is not None and not subject[1] else None)
                relative = chain_relative or is_comparative or reading.unit in ("x", "points") \
                    or doc[reading.start].text.startswith("+") or (
                        reading.start > start and doc[reading.start - 1].text == "+") or (
                        metric is not None and metric.start >= reading.end
                        and _relative_after(doc, metric.end, end))  # "0.62% F1 improvement"
                baseline = _baseline(doc, reading, start, methods, method) if relative else None
                low = max(chain[k - 1].end if k else start, reading.start - _SETTING_WINDOW)
                high = min(chain[k + 1].start if k + 1 < len(chain) else end,
                           max(reading.end, dataset.end if dataset is not None else 0)
                           + _SETTING_WINDOW)
                results.append(self._result(
                    doc, reading, metric, is_comparative, dataset, method,
                    ("relative" if relative else "absolute", _setting(doc, low, high, datasets),
                     baseline)))
            if first is not None and first.metric is not None:
                previous_metric = (first.metric, chain[-1].unit, first.comparative)
        return results

    def _fallback_metric(self, doc: Doc, chains: list[list[Reading]], number: int,
                         index: _Index, previous: tuple[Span | None, str | None, bool],
                         context: _Context, start: int) -> _Found | None:
        """The metric of a chain of readings that names none next to it: the last metric
        named before it in the sentence; the metric of the result right after it ("30%
        relative improvement to 67.2% mean IU"); the metric of the result before it with the
        same unit; or, in a sentence that names no metric, that of the sentence before
        ("On YouTube Faces DB it achieves 95.12%")."""
        chain = chains[number]
        limit = chains[number - 1][-1].end if number else start
        metric = self._preceding_metric(doc, chain[0], limit, index)
        if metric is not None:
            return _Found(metric, None, False)
        if number + 1 < len(chains):
            following = chains[number + 1][0]
            between = doc[chain[-1].end:following.start]
            if len(between) <= 3 and all(t.lower_ in _FORWARD_SKIP | {"to"} for t in between):
                metric = following.metric or self._forward_metric(
                    doc, following, following.end + 4, index).metric
                if metric is not None:
                    return _Found(metric, None, False)
        unit = chain[-1].unit
        for metric, metric_unit, comparative in (previous, (context.metric, context.unit, False)):
            if metric is not None and metric_unit == unit:
                return _Found(metric, None, comparative)
        if chain[0].start - 1 > limit and doc[chain[0].start - 1].lower_ == "by":
            # "reduce the size of a BERT model by 40%": a one-word metric name before "by"
            for j in range(chain[0].start - 2, max(limit, chain[0].start - 10) - 1, -1):
                if doc[j].text in (",", ";", ":"):
                    break
                if doc[j].is_alpha and self.table.term(doc[j].text) is not None:
                    return _Found(Span(doc, j, j + 1, label="METRIC"), None, False)
        return None

    def _result(self, doc: Doc, reading: Reading, metric: Span | None, is_comparative: bool,
                dataset: Span | None, method: Span | None,
                claim: tuple[str, str | None, Span | None]) -> ResultSpan:
        """The result of one reading; ``claim`` is its (kind, setting, baseline)."""
        c = self.confidence
        confidence = c["unit"] if reading.unit else c["bare"]
        if metric is not None:
            confidence += c["comparative"] if is_comparative else c["metric"]
        confidence += (c["dataset"] if dataset is not None else 0.0) + (
            c["method"] if method is not None else 0.0)
        span = doc[reading.start:reading.end]
        unit = None if reading.metric is not None and reading.unit == reading.metric.text \
            else reading.unit
        value, unit = normalise_quantity(reading.value, unit)
        kind, setting, baseline = claim
        return ResultSpan(span.start_char, span.end_char, value, unit, metric, dataset, method,
                          round(min(confidence, c["maximum"]), 2), kind, setting, baseline)

    def __call__(self, doc: Doc) -> Doc:
        results, metrics = self.results(doc)
        doc._.kg_results = results
        for metric in metrics:
            metric._.kg_source = "results"
            metric._.kg_confidence = self.confidence["metric_entity"]
        if metrics:
            add_spans(doc, CANDIDATES_KEY, metrics)
        return doc


def _inside_name(doc: Doc, i: int) -> bool:
    """Whether the number at ``i`` is glued to a name before it ("MobileNetV2-1.3", "v 2")."""
    if i == 0 or doc[i - 1].whitespace_:
        return False
    previous = doc[i - 1]
    if previous.is_alpha:
        return True
    return previous.text in ("-", "/") and i >= 2 and not doc[i - 2].whitespace_ \
        and doc[i - 2].text[-1].isalnum() and split_quantity(doc[i - 2].text) is None


def _enumerator(doc: Doc, i: int) -> bool:
    """Whether the number at ``i`` numbers a list item: "(2) MetaFormer ...", "3) It ..."."""
    return doc[i].text.isdigit() and i + 1 < len(doc) and doc[i + 1].text == ")" and (
        doc[i].is_sent_start or doc[i - 1].text in ("(", ".", ";", ":", ","))


def _reference(doc: Doc, i: int) -> bool:
    """Whether the number at ``i`` refers to a figure, table, section ("Fig. 3")."""
    previous = [t.lower_ for t in doc[max(i - 2, 0):i] if t.text != "."]
    return bool(previous) and previous[-1] in _REFERENCE_WORDS


def _relative_before(doc: Doc, i: int, limit: int) -> bool:
    """Whether the words before the number at ``i`` make it a difference ("by up to 25%",
    "reduces 71% FLOPs"; not "improved to 62.1%")."""
    if i - 1 >= limit and doc[i - 1].lower_ in _CHANGE_VERBS:
        return True
    j = i - 1
    while j >= limit and doc[j].lower_ in _APPROXIMATE:
        j -= 1
    return j >= limit and doc[j].lower_ in _RELATIVE_BEFORE


def _relative_after(doc: Doc, i: int, limit: int) -> bool:
    """Whether the words after a number ending at ``i`` make it a difference ("2% higher")."""
    j = i
    while j < limit and doc[j].lower_ in ("points", "point", "percentage", "%"):
        j += 1
    return j < limit and doc[j].lower_ in _RELATIVE_AFTER


def _baseline(doc: Doc, reading: Reading, start: int, methods: list[Span],
              method: Span | None) -> Span | None:
    """The method a relative claim compares with: "than X" / "over X" / "compared to X"
    after the number, else X in "outperforms X by ..." before it."""
    def marked(span: Span) -> bool:
        j = span.start - (1 if span.start > 0 and doc[span.start - 1].lower_ == "the" else 0)
        return (j >= 1 and doc[j - 1].lower_ in _BASELINE_MARKERS) or (
            j >= 2 and (doc[j - 2].lower_, doc[j - 1].lower_) in _BASELINE_PAIRS)
    for span in methods:
        if span.start >= reading.end and span != method and marked(span):
            return span
    for span in reversed(methods):
        if span.end <= reading.start and span != method and any(
                doc[k].lower_.startswith(_BASELINE_VERBS) for k in range(start, span.start)):
            return span
    return None


def _setting(doc: Doc, start: int, end: int, datasets: list[Span]) -> str | None:
    """The first split or protocol word of ``doc[start:end]``; "test" and "dev" only when
    "set"/"split" follows or a dataset name precedes them."""
    dataset_ends = {span.end for span in datasets}
    for j in range(max(start, 0), min(end, len(doc))):
        text = doc[j].text
        if j + 2 < len(doc) and doc[j + 1].text == "-" and not doc[j].whitespace_ \
                and not doc[j + 1].whitespace_:
            text = doc[j:j + 3].text  # "zero-shot" is three tokens
        if _RESOLUTION.match(text):
            return text.replace("×", "x")
        setting = setting_of(text)
        if setting is None:
            continue
        if setting in _AMBIGUOUS_SETTINGS and not (
                (j + 1 < len(doc) and doc[j + 1].lower_ in ("set", "sets", "split"))
                or j in dataset_ends):
            continue
        return setting
    return None


def _by_sentence(spans: list[Span], bounds: list[tuple[int, int]]) -> list[list[Span]]:
    """``spans`` grouped by the sentence (index into ``bounds``) they start in, in order."""
    starts = [start for start, _ in bounds]
    grouped: list[list[Span]] = [[] for _ in bounds]
    for span in sorted(spans, key=lambda s: s.start):
        grouped[bisect_right(starts, span.start) - 1].append(span)
    return grouped


def _is_name_token(token: Token) -> bool:
    """A token spelled like a name: a capital after its first letter or a digit, and a letter
    ("WikiSQL", "SQA", "ML50"), not a number."""
    text = token.text
    return any(c.isalpha() for c in text) and split_quantity(text) is None and (
        any(c.isupper() for c in text[1:]) or any(c.isdigit() for c in text))


def _datasets(spans: list[Span], doc: Doc, bounds: list[tuple[int, int]]) -> list[Span]:
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
                 and doc[s.end].text == "," and _is_name_token(doc[s.start]))]
    return _maximal(datasets + named)


def _subject_position(doc: Doc, span: Span, start: int) -> bool:
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
    if any(doc[j].lower_.startswith((*_BASELINE_VERBS, "compared"))
           or doc[j].lower_ in _BASELINE_MARKERS for j in range(start, span.start)):
        return False
    return k < start or doc[k].text in (",", ":", ";") or doc[k].lower_ in _CLAUSE_OPENERS


def _anaphor(doc: Doc, span: Span) -> bool:
    """Whether a method span refers back to the paper's own method: a lower-case phrase with
    a head such as "model" after "the", "our", "this" ("the generative model")."""
    words = span.text.split()
    return span.start > 0 and doc[span.start - 1].lower_ in _ANAPHOR_DETERMINERS and all(
        w.islower() for w in words) and singular_word(words[-1]) in _ANAPHOR_HEADS


def _counted_noun(doc: Doc, start: int, limit: int) -> Span | None:
    """The noun phrase after "fewer"/"less" that says what is counted ("training steps")."""
    end = start
    while end < min(limit, start + 3) and doc[end].is_alpha and doc[end].is_lower \
            and doc[end].lower_ not in _NOT_MODIFIERS and not doc[end].lower_.endswith("ly"):
        end += 1
    return Span(doc, start, end, label="METRIC") if end > start else None


def _owned_datasets(doc: Doc, readings: list[Reading],
                    index: _Index) -> dict[tuple[int, int], Reading]:
    """The datasets named "on X" right after a number (and its metric), by their bounds, with
    that number: "81.2% top-1 accuracy on ImageNet"."""
    owned = {}
    for reading in readings:
        j = reading.end
        if j in index.metric_start:
            j = index.metric_start[j].end
        j += j < len(doc) and doc[j].lower_ == "the"
        if j + 1 < len(doc) and doc[j].lower_ in _DATASET_MARKERS:
            k = j + 1 + (doc[j + 1].lower_ == "the")
            if k in index.dataset_start:
                span = index.dataset_start[k]
                owned.setdefault((span.start, span.end), reading)
    return owned


def _opens_sentence(doc: Doc, span: Span, start: int) -> bool:
    """Whether a name opens its sentence as what it reports on: "On ML50, ..."."""
    k = span.start - 1 - (span.start > 0 and doc[span.start - 1].lower_ == "the")
    return k == start and doc[k].lower_ == "on"


def _marks_dataset(doc: Doc, k: int, index: _Index) -> bool:
    """Whether the marker word at ``k`` ("on", "in", ...) names a dataset, or nothing at all
    ("on average"), rather than another thing a number is measured on."""
    j = k + 1 + (k + 1 < len(doc) and doc[k + 1].lower_ == "the")
    return j >= len(doc) or j in index.dataset_start or doc[j].lower_ in _NEUTRAL_AFTER_MARKER


def _before_parenthesis(doc: Doc, reading: Reading, index: _Index) -> tuple[bool, Span | None]:
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
        if span.label_ == "TASK" and all(_is_name_token(token) for token in span):
            return True, Span(doc, span.start, span.end, label="DATASET")
        return span.label_ == "METHOD", None
    arrow = _after_arrow(doc, reading) or (
        reading.end < len(doc) and doc[reading.end].text in _ARROWS)
    if arrow and _is_name_token(doc[k - 1]) and k - 1 not in index.names \
            and k not in index.metric_end:
        return True, Span(doc, k - 1, k, label="DATASET")
    return False, None


def _after_arrow(doc: Doc, reading: Reading) -> bool:
    """Whether a number is the new value of "0.7895 → 0.8420"."""
    return reading.start >= 2 and doc[reading.start - 1].text in _ARROWS \
        and split_quantity(doc[reading.start - 2].text) is not None


def _earlier_value(doc: Doc, reading: Reading, readings: list[Reading], index: _Index,
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
    while k > start and doc[k - 1].lower_ in _QUALIFIER_WORDS:
        k -= 1
    return k > start and (doc[k - 1].lower_ in ("than", "vs", "vs.", "versus") or (
        k - 1 > start and doc[k - 2].lower_ == "compared" and doc[k - 1].lower_ in ("to", "with")))


def _method_after(doc: Doc, after: int, index: _Index) -> Span | None:
    """The method a number is reported for: "2.27 FID for DiT-XL/2"."""
    j = after + (after < len(doc) and doc[after].lower_ == "the")
    if j + 1 < len(doc) and doc[j].lower_ == "for" and j + 1 in index.other_start:
        span = index.other_start[j + 1]
        return span if span.label_ == "METHOD" else None
    return None


def _on_each(doc: Doc, sentence: list[ResultSpan], start: int, end: int,
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


def _range_end(doc: Doc, chain: list[Reading], k: int) -> bool:
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


def _compared_with(doc: Doc, reading: Reading, start: int) -> bool:
    """Whether a number is the score something is compared with ("compared to 90% ...",
    "than 75%")."""
    j = reading.start - 1
    return j >= start and (doc[j].lower_ in ("than", "vs", "vs.", "versus") or (
        j > start and doc[j - 1].lower_ == "compared" and doc[j].lower_ in ("to", "with")))


def _parallel(doc: Doc, previous: Reading, reading: Reading, verbs: frozenset[str]) -> bool:
    """Whether a number continues the list the number before it opens: "by 7.06 mAP for
    NuImages and 12.9 mAP for COCO" (a few words, ending in "and" or a comma, no verb)."""
    between = doc[previous.end:reading.start]
    return 0 < len(between) <= 8 and between[-1].lower_ in ("and", ",") and not any(
        t.lower_ in verbs for t in between)


def _with_range_units(doc: Doc, chain: list[Reading]) -> list[Reading]:
    """The chain with the first number of a range in the unit of its last ("20-30%")."""
    return [reading._replace(unit=chain[k + 1].unit, metric=chain[k + 1].metric)
            if k + 1 < len(chain) and reading.unit is None and _range_end(doc, chain, k + 1)
            else reading for k, reading in enumerate(chain)]


def _parenthesised(doc: Doc, chain: list[Reading], previous: Reading) -> bool:
    """Whether a chain is one number in parentheses right after another: "89.5% (+2.3%)"."""
    return len(chain) == 1 and chain[0].start >= 1 and doc[chain[0].start - 1].text == "(" \
        and chain[0].start - 1 == previous.end


def _chains(doc: Doc, readings: list[Reading]) -> list[list[Reading]]:
    """Group readings written together ("44.1% and 30.5%", "1.5% to 6.4%")."""
    chains = [[readings[0]]]
    for previous, reading in zip(readings, readings[1:], strict=False):
        between = doc[previous.end:reading.start]
        if len(between) <= 2 and all(t.lower_ in _CHAIN_WORDS for t in between):
            chains[-1].append(reading)
        else:
            chains.append([reading])
    return chains


@Language.factory(
    "kg_results",
    default_config={
        "metric_names": list(METRIC_NAMES),
        "result_verbs": list(RESULT_VERBS),
        "comparatives": list(COMPARATIVES),
        "confidence": DEFAULT_CONFIDENCE,
    },
)
def make_results(
    nlp: Language,
    name: str,
    metric_names: list[str],
    result_verbs: list[str],
    comparatives: list[str],
    confidence: dict[str, float],
) -> ResultFinder:
    """Build the ``kg_results`` component (``nlp.add_pipe("kg_results")``)."""
    return ResultFinder(nlp, metric_names, result_verbs, comparatives, confidence)
