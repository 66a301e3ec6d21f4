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
from spacy.tokens import Doc, Span
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
from kg.extract.result_shapes import (
    ANAPHOR_HEADS,
    BASELINE_MARKERS,
    BASELINE_VERBS,
    CHANGE_VERBS,
    DATASET_MARKERS,
    NOT_MODIFIERS,
    QUALIFIER_WORDS,
    RELATIVE_AFTER,
    Reading,
    SpanIndex,
    after_arrow,
    before_parenthesis,
    compared_with,
    continues_list,
    counted_noun,
    doc_datasets,
    earlier_value,
    inside_name,
    is_anaphor,
    is_enumerator,
    is_name_token,
    is_parenthesised,
    is_reference,
    marks_dataset,
    method_after,
    on_each,
    opens_sentence,
    owned_datasets,
    range_end,
    reading_chains,
    relative_after,
    relative_before,
    subject_position,
    with_range_units,
)
from kg.normalize.metrics import is_metric_cut_off, metric_table, setting_of

__all__ = [
    "COMPARATIVES",
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
# Words that may follow a bare number that is a result ("an FID of 2.05 at 256x256").
_AFTER_BARE = frozenset(
    "across and at compared for in on or over respectively than when while with".split()
)
_ADVERBS = frozenset(
    "also consistently even further greatly largely now only still substantially".split()
)
# Markers whose object, when it is no dataset, is what the numbers after it are measured on.
_BLOCKING = frozenset({"on", "in", "for", "across"})
_BASELINE_PAIRS = frozenset({("compared", "to"), ("compared", "with"), ("relative", "to")})
# Setting words that are settings only next to "set"/"split" or a dataset ("test set").
_AMBIGUOUS_SETTINGS = frozenset({"test", "dev", "fine-tuned"})
# "fewer"/"less" followed by what is counted ("14x fewer training steps").
_COUNTED = frozenset({"fewer", "less"})
# At most this many lower-case words between a dataset name and its metric ("WikiSQL
# denotation accuracy").
_COMPOUND_WORDS = 2
_RESOLUTION = re.compile(r"^\d{2,4}[x×]\d{2,4}$")
_SETTING_WINDOW = 8
# Units written as one word that name what they count ("4.1 GFLOPs").
_COST_UNITS = frozenset({"GFLOPs", "M FLOPs", "T FLOPs", "GMACs"})


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
            | CHANGE_VERBS
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

    def reading(self, doc: Doc, i: int, sentence_end: int, index: SpanIndex) -> Reading | None:
        """The number at token ``i`` read with its unit, or None when it is no result."""
        token = doc[i]
        quantity = split_quantity(token.text)
        if quantity is None or i in index.names or inside_name(doc, i) or is_reference(doc, i) \
                or is_enumerator(doc, i):
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

    def _forward_metric(self, doc: Doc, reading: Reading, limit: int, index: SpanIndex) -> _Found:
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
                counted = counted_noun(doc, j + 1, limit) if lower in _COUNTED else None
                if counted is not None:  # "14 times fewer training steps"
                    return _Found(counted, dataset, False)
                if lower == "less":
                    break
                return _Found(Span(doc, j, j + 1, label="METRIC"), dataset, True)
            if lower == "compared" and j + 1 < limit and doc[j + 1].lower_ in ("to", "with"):
                j, compared = j + 2, True
                continue
            if lower not in _FORWARD_SKIP and not (compared and lower in QUALIFIER_WORDS):
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
    def _backward_metric(doc: Doc, reading: Reading, limit: int, index: SpanIndex) -> Span | None:
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
    def _preceding_metric(doc: Doc, reading: Reading, limit: int, index: SpanIndex) -> Span | None:
        """The last metric named between ``limit`` and the reading, in the same clause
        ("cuts the error rate ... by 30%", "perplexities on X and Y to 51.1 and 44.3")."""
        for j in range(reading.start, limit, -1):
            if j in index.metric_end:
                return index.metric_end[j]
            if doc[j - 1].text in (";", ":"):
                break
        return None

    @staticmethod
    def _compound(doc: Doc, metric: Span, index: SpanIndex) -> tuple[Span, Span | None]:
        """A metric with the name of a dataset written before it, and that dataset:
        "WikiSQL denotation accuracy" is denotation accuracy measured on WikiSQL (also when
        "WikiSQL denotation" was tagged a metric of its own)."""
        j, words = metric.start, 0
        while j > 0 and words < _COMPOUND_WORDS:
            before = index.dataset_end.get(j) or index.other_end.get(j) or (
                index.metric_end[j] if j in index.metric_end
                and is_name_token(doc[index.metric_end[j].start]) else None)
            if before is not None:
                name = next((k for k in range(before.start, j) if is_name_token(doc[k])), None)
                if name is None or before.label_ == "METHOD":
                    return metric, None
                end = next(k for k in range(name, j + 1) if k == j or not is_name_token(doc[k]))
                if is_metric_cut_off(doc[name:end].text):  # "zero-shot top-1 accuracy"
                    return Span(doc, name, metric.end, label="METRIC"), None
                return (Span(doc, end, metric.end, label="METRIC"),
                        Span(doc, name, end, label="DATASET"))
            token = doc[j - 1]
            if j in index.metric_end or j - 1 in index.names or token.lower_ in QUALIFIER_WORDS:
                return metric, None
            if is_name_token(token) and is_metric_cut_off(token.text):  # "top-20 retrieval accuracy"
                return Span(doc, j - 1, metric.end, label="METRIC"), None
            if is_name_token(token):
                return (Span(doc, j, metric.end, label="METRIC"),
                        Span(doc, j - 1, j, label="DATASET"))
            if not (token.is_alpha and token.is_lower) or token.lower_ in NOT_MODIFIERS \
                    or token.lower_ in RESULT_VERBS or token.lower_ in CHANGE_VERBS \
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
                               or (j == span.end and doc[j].lower_ in ANAPHOR_HEADS)
                               or (doc[j].text == "," and j + 1 < end
                                   and doc[j + 1].lower_ == "which")):
                j += 1
            direct = j < end and doc[j].lower_ in self.result_verbs
            if span.label_ == "TASK" and not direct:
                continue
            if direct or (subject_position(doc, span, start)
                          and any(verb >= span.end for verb in verbs)):
                subjects.append((span, is_anaphor(doc, span)))
        return subjects

    @staticmethod
    def _dataset(doc: Doc, reading: Reading, after: int, others: list[Reading],
                 datasets: list[Span], index: SpanIndex, start: int,
                 owned: dict[tuple[int, int], Reading]) -> Span | None:
        """The dataset of a reading that ends (with its metric) at ``after``: "on X" after
        it, before another result; else "on X" before it in the same clause, unless X is
        ``owned`` by the result it follows ("81.2% top-1 accuracy on ImageNet and 45.0 mIoU")
        and does not open the sentence ("On ML50, ..."); else the nearest dataset of the
        clause.  None when the number is measured "on" a named thing that is
        no dataset ("+2.4% F1 score on NER")."""
        j = after
        while j < len(doc) and doc[j].lower_ in RELATIVE_AFTER | {"the"}:
            j += 1  # "0.62% F1 score improvement on NER"
        if j + 1 < len(doc) and doc[j].lower_ in DATASET_MARKERS and j + 1 in index.other_start:
            return None
        def marked(span: Span) -> bool:
            k = span.start - 1
            if k >= 0 and doc[k].lower_ == "the":
                k -= 1
            return k >= 0 and doc[k].lower_ in DATASET_MARKERS
        def crossed(low: int, high: int) -> bool:
            return any(low <= other.start < high for other in others) 
        def blocked(low: int, high: int) -> bool:
            return any(doc[k].lower_ in _BLOCKING and not marks_dataset(doc, k, index)
                       for k in range(low, high))
        following = [s for s in datasets if s.start >= reading.end and marked(s)
                     and not crossed(after, s.start)]
        if following:
            return following[0]
        preceding = [s for s in datasets if s.end <= reading.start
                     and not blocked(s.end, reading.start)
                     and (opens_sentence(doc, s, start)
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
        # "zero-shot top-1" tagged a dataset is (part of) a metric, not data.
        spans = [Span(doc, s.start, s.end, label="METRIC") if s.label_ == "DATASET" and is_metric_cut_off(s.text)
                 else s for s in labelled_spans(doc)]
        labelled_metrics = [s for s in spans if s.label_ == "METRIC"]
        others = [s for s in spans if s.label_ != "METRIC"]
        own = self.metric_names(doc, covered_tokens(others),
                                {(s.start, s.end) for s in labelled_metrics})
        metric_start, metric_end = _by_position(labelled_metrics + own)
        bounds = sentence_bounds(doc)
        datasets = doc_datasets(spans, doc, bounds)
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
        index = SpanIndex(metric_start, metric_end, dataset_start, dataset_end, other_start,
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
            sentence = on_each(doc, sentence, start, end, latest)
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
                named = [s for s in datasets_of[number] if any(map(is_name_token, s))]
                context = _Context(None, None, named[0] if len(datasets_of[number]) == 1
                                   and named else None)
        return results, list(used.values())

    def _sentence(self, doc: Doc, start: int, end: int, candidates: list[int], index: SpanIndex,
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
        chains = reading_chains(doc, readings)
        owned = owned_datasets(doc, readings, index)
        by_before = False  # the chain before is a difference written "by N"
        results: list[ResultSpan] = []
        previous_metric: tuple[Span | None, str | None, bool] = (None, None, False)
        for number, chain in enumerate(chains):
            chain = with_range_units(doc, chain)
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
            chain_relative = relative_before(doc, chain[0].start, start) or \
                relative_after(doc, chain[-1].end, end) or (
                    by_before and continues_list(doc, chains[number - 1][-1], chain[0],
                                            self.result_verbs))
            by_before = relative_before(doc, chain[0].start, start) and \
                doc[chain[0].start - 1].lower_ == "by"
            enclosed = number > 0 and is_parenthesised(doc, chain, chains[number - 1][-1])
            for k, reading in enumerate(chain):
                if earlier_value(doc, reading, readings, index, start) \
                        or range_end(doc, chain, k):
                    continue
                own = found[k] if found[k].metric is not None else first
                metric, is_comparative = (own.metric, own.comparative) if own else (None, False)
                if metric is None and reading.unit is None and not after_arrow(doc, reading):
                    continue
                compound_dataset = None
                if metric is not None and not is_comparative:
                    metric, compound_dataset = self._compound(doc, metric, index)
                after = max(reading.end, metric.end if metric is not None
                            and metric.start >= reading.end else 0)
                compared = method_after(doc, after, index) \
                    if compared_with(doc, reading, start) else None
                if compared_with(doc, reading, start) and compared is None:
                    continue  # "compared to 90% accuracy of human annotators": no result
                if enclosed and results:
                    dataset = results[-1].dataset
                else:
                    decided, enclosing = before_parenthesis(doc, reading, index)
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
                        and relative_after(doc, metric.end, end))  # "0.62% F1 improvement"
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
                         index: SpanIndex, previous: tuple[Span | None, str | None, bool],
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


def _baseline(doc: Doc, reading: Reading, start: int, methods: list[Span],
              method: Span | None) -> Span | None:
    """The method a relative claim compares with: "than X" / "over X" / "compared to X"
    after the number, else X in "outperforms X by ..." before it."""
    def marked(span: Span) -> bool:
        j = span.start - (1 if span.start > 0 and doc[span.start - 1].lower_ == "the" else 0)
        return (j >= 1 and doc[j - 1].lower_ in BASELINE_MARKERS) or (
            j >= 2 and (doc[j - 2].lower_, doc[j - 1].lower_) in _BASELINE_PAIRS)
    for span in methods:
        if span.start >= reading.end and span != method and marked(span):
            return span
    for span in reversed(methods):
        if span.end <= reading.start and span != method and any(
                doc[k].lower_.startswith(BASELINE_VERBS) for k in range(start, span.start)):
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
