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
* ``metric`` is a METRIC span of the same sentence.  For "2.4x smaller" / "1.5x faster" the
  metric is the comparative word itself ("smaller" for size, "faster" for speed); such words
  are not added as entities.  Metric names this component finds itself (when no other
  component marked them) are appended to ``doc.spans["kg_candidates"]`` when a result uses them.
* ``dataset`` is a DATASET span of the sentence, preferring "on X" after the number;
  ``method`` is the METHOD span that is the subject of a result verb ("X achieves ...").
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import NamedTuple

import numpy
from spacy.attrs import PREFIX
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

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
from kg.normalize.metrics import setting_of

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
    "absolute average better boost decrease drop gain gains higher improvement improvements in "
    "increase increases less lower more of overall reduction relative the top".split()
)
_BACKWARD_SKIP = frozenset(
    "( : = ~ a about achieves achieving almost an approximately are around at by is just least "
    "nearly of on only over reached reaches reaching roughly score scores the to up was were "
    "with".split()
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
_DATASET_MARKERS = frozenset({"on", "in", "across", "over"})
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
    names: set[int]


def _by_position(spans: Iterable[Span]) -> tuple[dict[int, Span], dict[int, Span]]:
    """Longest span starting / ending at each token."""
    starts: dict[int, Span] = {}
    ends: dict[int, Span] = {}
    for span in sorted(spans, key=len):
        starts[span.start] = span
        ends[span.end] = span
    return starts, ends


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
        self.result_verbs = frozenset(result_verbs) | {"is", "are", "runs", "achieve"}
        self.comparatives = frozenset(comparatives)
        self.metric_matcher = MetricMatcher(nlp, metric_names)
        # A token's PREFIX attribute is its first character: numbers start only with these.
        self.number_prefixes = numpy.array(
            sorted(get_string_id(char) for char in number_first_characters()), dtype=numpy.uint64)

    # -- metric names -------------------------------------------------------------------

    def metric_names(self, doc: Doc, taken: set[int]) -> list[Span]:
        """Metric names of ``doc`` outside the tokens ``taken`` by other spans, with a
        following "score(s)" kept ("SPIDEr scores")."""
        spans = []
        for start, end in self.metric_matcher(doc):
            if end < len(doc) and doc[end].lower_ in ("score", "scores"):
                end += 1
            if not any(i in taken for i in range(start, end)):
                spans.append(Span(doc, start, end, label="METRIC"))
        return spans

    # -- reading numbers ----------------------------------------------------------------

    def reading(self, doc: Doc, i: int, sentence_end: int, index: _Index) -> Reading | None:
        """The number at token ``i`` read with its unit, or None when it is no result."""
        token = doc[i]
        quantity = split_quantity(token.text)
        if quantity is None or i in index.names or _inside_name(doc, i) or _reference(doc, i):
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

    def _forward_metric(self, doc: Doc, reading: Reading, limit: int,
                        index: _Index) -> tuple[Span | None, Span | None, bool]:
        """(metric, dataset passed on the way, whether the metric is a comparative word)."""
        j, dataset = reading.end, None
        while j < limit:
            if j in index.metric_start and not (  # "ImageNet" tagged both ways is a dataset
                    j in index.dataset_start
                    and index.dataset_start[j].end >= index.metric_start[j].end):
                return index.metric_start[j], dataset, False
            if j in index.dataset_start and dataset is None:
                dataset = index.dataset_start[j]
                j = dataset.end
                continue
            lower = doc[j].lower_
            if lower in self.comparatives:
                if j + 1 in index.metric_start:
                    return index.metric_start[j + 1], dataset, False
                return Span(doc, j, j + 1, label="METRIC"), dataset, True
            if lower not in _FORWARD_SKIP:
                break
            j += 1
        return None, dataset, False

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

    def _subjects(self, doc: Doc, start: int, end: int, methods: list[Span]) -> list[Span]:
        """METHOD spans of the sentence doc[start:end] that are the subject of a result verb."""
        subjects = []
        for span in methods:
            if span.start > start and doc[span.start - 1].lower_ in COMPARISON_WORDS:
                continue
            j = span.end
            while j < end and (doc[j].lower_ in _ADVERBS or doc[j].lower_.endswith("ly")
                               or doc[j].text == ")"):
                j += 1
            if j < end and doc[j].lower_ in self.result_verbs:
                subjects.append(span)
        return subjects

    @staticmethod
    def _dataset(doc: Doc, reading: Reading, datasets: list[Span]) -> Span | None:
        """"on X" after the number, else "on X" before it, else the nearest dataset."""
        def marked(span: Span) -> bool:
            j = span.start - 1
            if j >= 0 and doc[j].lower_ == "the":
                j -= 1
            return j >= 0 and doc[j].lower_ in _DATASET_MARKERS
        after = [s for s in datasets if s.start >= reading.end and marked(s)]
        if after:
            return after[0]
        before = [s for s in datasets if s.end <= reading.start and marked(s)]
        if before:
            return before[-1]
        if not datasets:
            return None
        return min(datasets, key=lambda s: min(abs(s.start - reading.end),
                                               abs(reading.start - s.end)))

    # -- the component ------------------------------------------------------------------

    def results(self, doc: Doc) -> tuple[list[ResultSpan], list[Span]]:
        """The results of ``doc`` and the metric names it found itself that they use."""
        spans = labelled_spans(doc)
        taken = covered_tokens(spans)
        own = self.metric_names(doc, taken)
        metric_start, metric_end = _by_position(
            [s for s in spans if s.label_ == "METRIC"] + own)
        datasets = sorted((s for s in spans if s.label_ == "DATASET"), key=lambda s: s.start)
        dataset_start, dataset_end = _by_position(datasets)
        methods = [s for s in spans if s.label_ == "METHOD"]
        index = _Index(metric_start, metric_end, dataset_start, dataset_end,
                       taken | link_tokens(doc))
        bounds = sentence_bounds(doc)
        datasets_of, methods_of = _by_sentence(datasets, bounds), _by_sentence(methods, bounds)
        number_starts = positions(doc.to_array(PREFIX), self.number_prefixes)
        results: list[ResultSpan] = []
        used: dict[tuple[int, int], Span] = {}
        for number, (start, end) in enumerate(bounds):
            candidates = number_starts[bisect_left(number_starts, start):
                                       bisect_left(number_starts, end)]
            for result in self._sentence(doc, start, end, candidates, index, datasets_of[number],
                                         methods_of[number]):
                results.append(result)
                if result.metric is not None and result.metric in own:
                    used[(result.metric.start, result.metric.end)] = result.metric
        return results, list(used.values())

    def _sentence(self, doc: Doc, start: int, end: int, candidates: list[int], index: _Index,
                  datasets: list[Span], methods: list[Span]) -> list[ResultSpan]:
        """The results of the sentence doc[start:end], whose numbers can only start at the
        tokens ``candidates``."""
        readings = []
        i = start
        for candidate in candidates:
            reading = self.reading(doc, candidate, end, index) if candidate >= i else None
            if reading is not None:
                readings.append(reading)
                i = reading.end
        if not readings:
            return []
        subjects = self._subjects(doc, start, end, methods)
        respectively = any(t.lower_ == "respectively" for t in doc[start:end])
        results = []
        for chain in _chains(doc, readings):
            metrics, comparative, passed = [], [], []
            for k, reading in enumerate(chain):
                limit = chain[k + 1].start if k + 1 < len(chain) else end
                metric, dataset, is_comparative = (reading.metric, None, False)
                if metric is None:
                    metric, dataset, is_comparative = self._forward_metric(
                        doc, reading, limit, index)
                if metric is None:
                    previous = chain[k - 1].end if k else start
                    metric = self._backward_metric(doc, reading, previous, index)
                metrics.append(metric)
                comparative.append(is_comparative)
                passed.append(dataset)
            shared = next((m for m in metrics if m is not None), None)
            shared_comparative = comparative[metrics.index(shared)] if shared is not None else False
            chain_datasets = [s for s in datasets if s.start >= chain[-1].end]
            zipped = respectively and len(chain) > 1 and len(chain_datasets) == len(chain)
            chain_relative = _relative_before(doc, chain[0].start, start) or \
                _relative_after(doc, chain[-1].end, end)
            for k, reading in enumerate(chain):
                metric = metrics[k] or shared
                if metric is None and reading.unit is None:
                    continue
                is_comparative = comparative[k] if metrics[k] is not None else shared_comparative
                dataset = passed[k] or (chain_datasets[k] if zipped
                                        else self._dataset(doc, reading, datasets))
                method = next((s for s in reversed(subjects) if s.end <= reading.start), None)
                relative = chain_relative or is_comparative or reading.unit in ("x", "points") \
                    or doc[reading.start].text.startswith("+")
                baseline = _baseline(doc, reading, start, methods, method) if relative else None
                low = max(chain[k - 1].end if k else start, reading.start - _SETTING_WINDOW)
                high = min(chain[k + 1].start if k + 1 < len(chain) else end,
                           max(reading.end, dataset.end if dataset is not None else 0)
                           + _SETTING_WINDOW)
                results.append(self._result(
                    doc, reading, metric, is_comparative, dataset, method,
                    ("relative" if relative else "absolute", _setting(doc, low, high, datasets),
                     baseline)))
        return results

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


def _reference(doc: Doc, i: int) -> bool:
    """Whether the number at ``i`` refers to a figure, table, section ("Fig. 3")."""
    previous = [t.lower_ for t in doc[max(i - 2, 0):i] if t.text != "."]
    return bool(previous) and previous[-1] in _REFERENCE_WORDS


def _relative_before(doc: Doc, i: int, limit: int) -> bool:
    """Whether the words before the number at ``i`` make it a difference ("by up to 25%")."""
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
