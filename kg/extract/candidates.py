"""The ``kg_candidates`` component: method/dataset/metric names that no list holds.

A candidate is a word shaped like a system name ("EvoPrompt", "FBNetV5", "PC-DARTS", "GPT-3.5",
"wav2vec 2.0") or an all-caps acronym used as a name ("BERT model", "on COCO"), typed by the
words around it: "X model/network/framework" -> METHOD, "X dataset/benchmark", "evaluate on X"
-> DATASET, "X score/metric" -> METRIC.  A shaped name with no such context is a METHOD with a
low confidence; an all-caps acronym with no context is only kept when the text defines it as
the short form of a method- or dataset-like long form ("neural architecture search (NAS)").
Known metric names ("F1", "mAP") are left to ``kg_results``, which adds those a result uses.

The helpers (``name_shape``, ``name_words``, ``sentence_bounds``, ``labelled_spans``) are shared
by ``kg_proposed`` and ``kg_results``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import numpy
from spacy.attrs import (
    IS_ALPHA,
    IS_LOWER,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    LOWER,
    ORTH,
    SENT_START,
    SPACY,
)
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from kg.extract.extensions import (
    CANDIDATES_KEY,
    NAME_WORDS_KEY,
    PROPOSED_KEY,
    SPAN_LABELS,
    TERMS_KEY,
    register_extensions,
)

__all__ = [
    "COMPARISON_WORDS",
    "CandidateFinder",
    "MetricMatcher",
    "DATASET_HEADS",
    "METHOD_HEADS",
    "METRIC_NAMES",
    "RESULT_VERBS",
    "STOP_NAMES",
    "NameWord",
    "Step",
    "WordSequenceMatcher",
    "add_spans",
    "covered_tokens",
    "labelled_spans",
    "link_tokens",
    "make_candidates",
    "name_shape",
    "name_words",
    "positions",
    "sentence_bounds",
]

METHOD_HEADS: tuple[str, ...] = (
    "agent", "agents", "algorithm", "algorithms", "approach", "approaches", "architecture",
    "architectures", "backbone", "backbones", "baseline", "baselines", "classifier",
    "classifiers", "decoder", "decoders", "detector", "detectors", "encoder", "encoders",
    "family", "framework", "frameworks", "mechanism", "method", "methods", "model", "models",
    "module", "modules", "network", "networks", "operator", "operators", "optimizer",
    "optimizers", "paradigm", "pipeline", "pipelines", "policy", "scheme", "strategy",
    "system", "systems", "technique", "techniques", "toolkit", "variant", "variants",
)
DATASET_HEADS: tuple[str, ...] = (
    "benchmark", "benchmarks", "challenge", "collection", "corpora", "corpus", "database",
    "dataset", "datasets", "leaderboard", "resource", "suite", "testbed",
)
METRIC_HEADS: tuple[str, ...] = ("metric", "metrics", "score", "scores")
# Long forms ending in these words make their short form a method name ("... search (NAS)").
LONG_FORM_METHOD_HEADS: tuple[str, ...] = METHOD_HEADS + (
    "autoencoder", "machine", "net", "regression", "search", "transformer", "tuning",
)
# "X achieves ..." makes X the thing that reports a result, i.e. a method.
RESULT_VERBS: tuple[str, ...] = (
    "achieve", "achieves", "achieved", "attains", "attained", "beats", "delivers", "exceeds",
    "gets", "improves", "improved", "obtains", "obtained", "outperform", "outperforms",
    "outperformed", "reach", "reaches", "reached", "scores", "scored", "sets", "surpasses",
    "surpassed", "yields",
)
# Names of metrics (case-insensitive unless written in mixed case, like "mAP").
METRIC_NAMES: tuple[str, ...] = (
    "accuracy", "top-1 accuracy", "top-5 accuracy", "top-1 error", "top-5 error", "error rate",
    "F1", "F1 score", "F1-score", "macro-F1", "micro-F1", "precision", "recall", "BLEU",
    "BLEU-4", "ROUGE", "ROUGE-1", "ROUGE-2", "ROUGE-L", "METEOR", "CIDEr", "SPICE", "SPIDEr",
    "FID", "Inception Score", "KID", "LPIPS", "SSIM", "PSNR", "mAP", "AP", "AP50", "AP75",
    "box AP", "mask AP", "mIoU", "IoU", "WER", "CER", "word error rate", "character error rate",
    "perplexity", "pass@1", "pass@10", "pass@100", "AUC", "AUROC", "ROC-AUC", "exact match",
    "EM", "MRR", "NDCG", "nDCG", "Hits@1", "Hits@10", "MAE", "MSE", "RMSE", "latency",
    "throughput", "speedup", "speed-up", "win rate", "success rate", "BPC", "FLOPs", "MACs",
    "params", "parameters", "mean average precision", "average precision",
)
# Words shaped like names that name no method or dataset.
STOP_NAMES: tuple[str, ...] = (
    "AI", "API", "CPU", "CV", "ConvNet", "ConvNets", "DeepMind", "EU", "GB", "GPU", "GitHub",
    "HTML", "HuggingFace", "ID", "IID", "KB", "L0", "L1", "L2", "LaTeX", "MB", "ML", "NLP", "OK",
    "OOD", "OoD", "OpenAI", "PDF", "PhD", "RAM", "SOTA", "TB", "TPU", "TV", "UK", "URL", "US",
    "USA", "YouTube", "iPhone",
)
_STOP_NAMES = frozenset(STOP_NAMES)
EVALUATION_WORDS: tuple[str, ...] = (
    "benchmark", "benchmarked", "evaluate", "evaluated", "evaluates", "evaluating",
    "evaluation", "evaluations", "experiment", "experiments", "finetune", "finetuned",
    "performance", "pretrained", "result", "results", "test", "tested", "testing", "train",
    "trained", "training", "tuned", "validated",
)
# "based on X", "relies on X": X is then a method, not a dataset.
NOT_DATASET_ON: tuple[str, ...] = (
    "based", "build", "builds", "built", "conditioned", "depend", "depending", "depends",
    "draw", "draws", "effect", "effects", "focus", "focused", "focuses", "focusing", "impact",
    "influence", "relies", "rely", "relying", "rest", "rests", "run", "running", "runs",
)
_NOT_DATASET_ON = frozenset(NOT_DATASET_ON)
COMPARISON_WORDS: tuple[str, ...] = (
    "beats", "outperform", "outperforming", "outperforms", "surpass", "surpasses",
    "surpassing", "than", "versus", "vs", "vs.",
)
HARDWARE_HEADS: tuple[str, ...] = (
    "chip", "chips", "cpu", "cpus", "device", "devices", "gpu", "gpus", "phone", "phones",
    "tpu", "tpus",
)
PROPOSE_VERBS: tuple[str, ...] = (
    "build", "builds", "construct", "constructs", "create", "creates", "design", "designs",
    "develop", "develops",
    "devise", "devises", "introduce", "introduces", "present", "presents", "propose",
    "proposes",
)
# Lower-case parts after a hyphen that modify a name rather than belong to it ("CLIP-based").
MODIFIER_SUFFIXES = frozenset(
    "agnostic aware based centric compatible dependent driven efficient free friendly "
    "independent level like only scale size specific style type wise".split()
)
DEFAULT_CONFIDENCE: dict[str, float] = {
    "shape": 0.4, "defined": 0.5, "weak_context": 0.55, "context": 0.6, "shape_bonus": 0.1,
    "maximum": 0.7,
}

# Real sentences of abstracts stay far below this many tokens.
MAX_SENTENCE_TOKENS = 250
_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]")
# URLs, LaTeX, formulas and words the tokenizer left a full stop on are not names.
_NOT_NAME = re.compile(r"://|^www\.|[$\\{}()\[\]]|\.$")
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_ACRONYM = re.compile(r"^[A-Z][A-Z&]*[A-Z]$")
_HYPHEN_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")
_UNIT_LIKE = re.compile(r"^[+-]?\d[\d.,]*[a-zA-Z%×]{0,3}$")
_LETTER_DIGIT_LETTER = re.compile(r"[a-z]\d+[a-z]")
_VERSION = re.compile(r"^v?\d{1,2}(?:\.\d+)+$|^v\d{1,2}$")
_SHORT_VERSION = re.compile(r"^\d$")
_SPLIT = re.compile(r"^(?:test|dev|val|valid|train)(?:-[a-z]+|\d{4})$")
_JOINERS = frozenset({"-", "+"})
_JOINER_IDS = numpy.array([get_string_id(joiner) for joiner in sorted(_JOINERS)],
                          dtype=numpy.uint64)
# Tokens starting or ending with these are not parts of a word.
_OPENERS = "'’([{\""
_CLOSERS = ")]}\""
# The token attributes name_words reads, as columns of doc.to_array.
_RUN_ATTRS = [ORTH, IS_PUNCT, IS_SPACE, IS_ALPHA, IS_LOWER, IS_TITLE, SPACY, SENT_START]


class NameWord(NamedTuple):
    """A word glued from tokens without spaces: its name part and where its context starts.

    ``start``/``end`` are the token bounds of the name part (modifier parts such as "-based"
    cut off); ``context_end`` is the token after the whole glued word.
    """

    start: int
    end: int
    context_end: int


def name_shape(text: str) -> str | None:
    """``"strong"`` for words shaped like system names, ``"acronym"`` for all-caps words that
    are names only in context, None for everything else.

    >>> name_shape("EvoPrompt"), name_shape("BERT"), name_shape("LLMs"), name_shape("7B")
    ('strong', 'acronym', None, None)
    """
    if len(text) < 2 or text in _STOP_NAMES or text.split("-")[0] in _STOP_NAMES \
            or _NOT_NAME.search(text):
        return None
    if _PLURAL_ACRONYM.match(text) or _ROMAN.match(text) or "FLOP" in text.upper():
        return None
    if text[0].isdigit():  # "3DGS" is a name, "3D", "24GB", "7B" are not
        capitals = sum(c.isupper() for c in text)
        return "strong" if capitals >= 3 or (capitals == 2 and not _UNIT_LIKE.match(text)) \
            else None
    has_digit = any(c.isdigit() for c in text)
    has_upper = any(c.isupper() for c in text)
    if has_digit:
        return "strong" if has_upper or _LETTER_DIGIT_LETTER.search(text) else None
    first, _, rest = text.partition("-")
    if _CAMEL.search(text) or _HYPHEN_ACRONYM.match(text) or (rest and _ACRONYM.match(first)):
        return "strong"
    if _ACRONYM.match(text):
        return "acronym"
    return None


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token bounds of each sentence (the whole doc when no component set sentences); a
    sentence longer than ``MAX_SENTENCE_TOKENS`` (a text without sentence ends) is cut into
    pieces of that length, so the rules that pair the names of a sentence stay linear."""
    if not doc.has_annotation("SENT_START"):
        sentences = [(0, len(doc))]
    else:
        sentences = [(sent.start, sent.end) for sent in doc.sents]
    pieces = [(start, min(start + MAX_SENTENCE_TOKENS, end))
              for first, end in sentences for start in range(first, end, MAX_SENTENCE_TOKENS)]
    return pieces or sentences


def labelled_spans(doc: Doc, keys: Iterable[str] = (TERMS_KEY, CANDIDATES_KEY, PROPOSED_KEY),
                   ents: bool = True) -> list[Span]:
    """Every METHOD/DATASET/METRIC/TASK span of the given span groups (and ``doc.ents``)."""
    spans = [span for key in keys if key in doc.spans for span in doc.spans[key]]
    if ents:
        spans.extend(doc.ents)
    return [span for span in spans if span.label_ in SPAN_LABELS]


def covered_tokens(spans: Iterable[Span]) -> set[int]:
    """Indices of the tokens inside any of ``spans``."""
    return {i for span in spans for i in range(span.start, span.end)}


def link_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens inside the URLs ``kg_urls`` found."""
    tokens: set[int] = set()
    for link in doc._.kg_links or ():
        span = doc.char_span(link.start_char, link.end_char, alignment_mode="expand")
        if span is not None:
            tokens.update(range(span.start, span.end))
    return tokens


def positions(values: numpy.ndarray, ids: numpy.ndarray) -> list[int]:
    """Indices of the ``values`` (string ids of tokens) that are in ``ids`` (sorted)."""
    if not len(ids) or not len(values):
        return []
    at = numpy.minimum(numpy.searchsorted(ids, values), len(ids) - 1)
    return numpy.flatnonzero(ids[at] == values).tolist()


class _Texts:
    """Token texts of a doc, read from the string store by ORTH id only when asked for."""

    def __init__(self, doc: Doc, orth: numpy.ndarray) -> None:
        self.strings = doc.vocab.strings
        self.orth = orth.tolist()

    def __len__(self) -> int:
        return len(self.orth)

    def __getitem__(self, index: int) -> str:
        return self.strings[self.orth[index]]

    def join(self, start: int, end: int) -> str:
        """The text of tokens start:end, written without spaces between them."""
        return "".join(self.strings[orth] for orth in self.orth[start:end])


class _GluedRuns:
    """The runs of tokens of a doc written without spaces, split at punctuation other than
    joiners and at sentence starts, with the token attributes ``name_words`` reads."""

    def __init__(self, doc: Doc) -> None:
        columns = doc.to_array(_RUN_ATTRS)
        self.texts = _Texts(doc, columns[:, 0])
        punct, space, alpha, lower, title = columns[:, 1:6].astype(bool).T
        joiner = (columns[:, :1] == _JOINER_IDS).any(axis=1)
        wordlike = ~punct & ~space
        # Alphabetic tokens start and end with letters; only the others need their text read.
        for i in numpy.flatnonzero(wordlike & ~alpha).tolist():
            text = self.texts[i]
            wordlike[i] = text[0] not in _OPENERS and text[-1] not in _CLOSERS
        joinable = joiner | wordlike
        # Whether each token continues the run of the token before it.
        glued = numpy.zeros(len(doc), dtype=bool)
        glued[1:] = joinable[1:] & joinable[:-1] & (columns[:-1, 6] == 0) \
            & (columns[1:, 7] != 1)
        self.glued = glued.tolist()
        self.joinable = joinable.tolist()
        self.punct = punct.tolist()
        self.lower = lower.tolist()
        self.space_after = columns[:, 6].tolist()
        # Runs with a token that is not a lower-case or Title-case word (or a joiner) may be
        # names; the others are plain.
        self.seeds = numpy.flatnonzero(
            joinable & ~(joiner | (alpha & (lower | title)))).tolist()

    def bounds(self, index: int) -> tuple[int, int]:
        """Token bounds of the run with the token ``index``."""
        start, end = index, index + 1
        while self.glued[start]:
            start -= 1
        while end < len(self.glued) and self.glued[end]:
            end += 1
        return start, end

    def not_plain(self) -> Iterator[tuple[int, int]]:
        """Bounds of the runs that are not plain, in order."""
        end = 0
        for seed in self.seeds:
            if seed >= end:
                start, end = self.bounds(seed)
                yield start, end


def _trim(runs: _GluedRuns, start: int, end: int) -> tuple[int, int]:
    """Cut joiners at the edges, lower-case prefixes ("multi-") and modifier suffixes ("-based")."""
    texts, lower = runs.texts, runs.lower
    while start < end and texts[start] in _JOINERS:
        start += 1
    while end > start and texts[end - 1] in _JOINERS:
        end -= 1
    while start + 2 < end and texts[start + 1] == "-" and lower[start] \
            and len(texts[start]) > 2:
        start += 2
    while end - 2 > start and texts[end - 2] == "-" and lower[end - 1] \
            and (texts[end - 1].lower() in MODIFIER_SUFFIXES
                 or texts[end - 1].lower().endswith("ed")):
        end -= 2
    return start, end


def name_words(doc: Doc) -> list[NameWord]:
    """Every glued word of ``doc`` whose name part has a name shape, keeping a version number
    or a data split written after it ("wav2vec 2.0", "LLaMA 2", "LibriSpeech test-clean").

    The words are kept on the doc (``doc.user_data[NAME_WORDS_KEY]``), so the components
    that read them find them once.

    >>> import spacy
    >>> doc = spacy.blank("en")("We use CLIP-based PC-DARTS.")
    >>> [doc[w.start:w.end].text for w in name_words(doc)]
    ['CLIP', 'PC-DARTS']
    """
    # Keyed by the doc's length too: a retokenized doc has other words.
    cached = doc.user_data.get(NAME_WORDS_KEY)
    if cached is None or cached[0] != len(doc):
        cached = (len(doc), tuple(_name_words(doc)) if len(doc) else ())
        doc.user_data[NAME_WORDS_KEY] = cached
    return list(cached[1])


def _name_words(doc: Doc) -> Iterator[NameWord]:
    runs = _GluedRuns(doc)
    for run_start, run_end in runs.not_plain():
        start, end = _trim(runs, run_start, run_end)
        if start >= end or name_shape(runs.texts.join(start, end)) is None:
            continue
        context_end = run_end
        # A run right after the name, with a space between, may be its version or split.
        if end == run_end and end < len(doc) and runs.space_after[end - 1] \
                and runs.joinable[end]:
            next_end = runs.bounds(end)[1]
            if _name_suffix(runs, end, next_end):
                end = context_end = next_end
        yield NameWord(start, end, context_end)


def _name_suffix(runs: _GluedRuns, start: int, end: int) -> bool:
    """Whether the run of tokens start:end continues the name before it: a version
    ("2.0", "v2", "2" before punctuation or a method word) or a data split ("test-clean")."""
    text = runs.texts.join(start, end)
    if _VERSION.match(text) or _SPLIT.match(text):
        return True
    return bool(_SHORT_VERSION.match(text)) and (
        end == len(runs.texts) or runs.punct[end] or runs.texts[end].lower() in METHOD_HEADS
    )


class MetricMatcher:
    """Finds metric names in a doc: mixed-case names ("mAP", "CIDEr") exactly as written,
    the others in any case ("BLEU", "bleu", "Accuracy")."""

    def __init__(self, nlp: Language, names: Iterable[str] = METRIC_NAMES) -> None:
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.any_case = PhraseMatcher(nlp.vocab, attr="LOWER")
        for name in names:
            mixed = name != name.lower() and name != name.upper()
            matcher = self.exact if mixed else self.any_case
            matcher.add("METRIC", [nlp.make_doc(name if mixed else name.lower())])

    def __call__(self, doc: Doc) -> list[tuple[int, int]]:
        """Token bounds of the longest metric names, without overlaps, in order."""
        spans = [doc[s:e] for _, s, e in self.exact(doc) + self.any_case(doc)]
        return [(span.start, span.end) for span in filter_spans(spans)]


# One step of a word sequence: the words (lower case) a token may be, and "" (one token),
# "?" (at most one) or "*" (any number of tokens).
Step = tuple[Iterable[str], str]


class WordSequenceMatcher:
    """Finds sequences of words in any case, like spaCy's ``Matcher`` with patterns of
    ``{"LOWER": {"IN": words}, "OP": op}`` tokens, and gives the same matches in the same
    order.  Only the tokens that are a pattern's first word are looked at (found by one binary
    search over the doc's LOWER column), which is much faster than the Matcher's walk over
    every token.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> matcher = WordSequenceMatcher(nlp.vocab)
    >>> matcher.add("ON", [[(["on"], ""), (["the"], "?")]])
    >>> matcher(nlp("trained on the web"))
    [('ON', 1, 2), ('ON', 1, 3)]
    """

    def __init__(self, vocab: Vocab) -> None:
        self.strings = vocab.strings
        # First word -> (key, the other steps) of each pattern starting with it.
        self.patterns: dict[int, list[tuple[str, tuple[tuple[frozenset[int], str], ...]]]] = {}
        self.first_words = numpy.zeros(0, dtype=numpy.uint64)

    def _ids(self, words: Iterable[str]) -> frozenset[int]:
        return frozenset(self.strings.add(word) for word in words)

    def add(self, key: str, patterns: Iterable[list[Step]]) -> None:
        """Add ``patterns`` under ``key``; a pattern's first step must match one token ("")."""
        for pattern in patterns:
            (first, op), *rest = pattern
            if op:
                raise ValueError(f"{key}: the first step of a pattern must match one token")
            steps = tuple((self._ids(words), op) for words, op in rest)
            for word in self._ids(first):
                self.patterns.setdefault(word, []).append((key, steps))
        self.first_words = numpy.array(sorted(self.patterns), dtype=numpy.uint64)

    def __call__(self, doc: Doc, lower: numpy.ndarray | None = None) -> list[tuple[str, int, int]]:
        """Every ``(key, start, end)`` match, ordered by end then start; ``lower`` is the doc's
        LOWER column when the caller has it."""
        lower = doc.to_array(LOWER) if lower is None else lower
        starts = positions(lower, self.first_words)
        if not starts:
            return []
        words = lower.tolist()
        found: dict[tuple[int, int, str], None] = {}
        for start in starts:
            for key, steps in self.patterns[words[start]]:
                for end in _sequence_ends(words, start + 1, steps):
                    found[(end, start, key)] = None
        return [(key, start, end) for end, start, key in sorted(found)]


def _sequence_ends(words: list[int], position: int,
                   steps: tuple[tuple[frozenset[int], str], ...]) -> set[int]:
    """Every token index where ``steps`` can end when they start at ``position``."""
    ends = {position}
    for allowed, op in steps:
        moved = {end + 1 for end in ends if end < len(words) and words[end] in allowed}
        frontier = moved if op == "*" else set()
        while frontier:
            frontier = {end + 1 for end in frontier
                        if end < len(words) and words[end] in allowed} - moved
            moved |= frontier
        ends = moved | ends if op else moved
    return ends


def add_spans(doc: Doc, key: str, spans: Iterable[Span]) -> None:
    """Append ``spans`` to ``doc.spans[key]``, keeping what is there and sorting by position."""
    existing = list(doc.spans[key]) if key in doc.spans else []
    doc.spans[key] = sorted(existing + list(spans), key=lambda s: (s.start, s.end, s.label_))


def _abbreviation_labels(doc: Doc) -> dict[str, str | None]:
    """Short form -> METHOD/DATASET by its long form's last word; None: not a method/dataset."""
    labels: dict[str, str | None] = {}
    for short, long in doc._.kg_abbreviations or ():
        head = long[-1].lower_ if len(long) else ""
        if head in DATASET_HEADS:
            labels[short.text] = "DATASET"
        elif head in LONG_FORM_METHOD_HEADS:
            labels[short.text] = "METHOD"
        else:
            labels.setdefault(short.text, None)
    return labels


def _keep(table: dict[int, tuple[str | None, float]], index: int, label: str | None,
          confidence: float) -> None:
    """Record evidence at ``index`` unless stronger evidence (or a veto, label None) is there."""
    current = table.get(index)
    if current is None or (current[0] is not None and (label is None or current[1] < confidence)):
        table[index] = (label, confidence)


class CandidateFinder:
    """Writes name-shaped words, typed by their context, to ``doc.spans["kg_candidates"]``."""

    def __init__(
        self,
        nlp: Language,
        method_heads: Iterable[str] = METHOD_HEADS,
        dataset_heads: Iterable[str] = DATASET_HEADS,
        metric_heads: Iterable[str] = METRIC_HEADS,
        metric_names: Iterable[str] = METRIC_NAMES,
        evaluation_words: Iterable[str] = EVALUATION_WORDS,
        confidence: dict[str, float] | None = None,
    ) -> None:
        register_extensions()
        self.strings = nlp.vocab.strings
        self.confidence = {**DEFAULT_CONFIDENCE, **(confidence or {})}
        self.metric_names = {name.lower() for name in metric_names}
        self.metric_matcher = MetricMatcher(nlp, metric_names)
        context, weak = self.confidence["context"], self.confidence["weak_context"]
        # A word right after a name: (label, confidence, only when written in lower case);
        # label None vetoes the name ("A100 GPUs").
        self.heads: dict[str, tuple[str | None, float, bool]] = {}
        self.result_verbs = frozenset(RESULT_VERBS)
        self.verb_evidence = ("METHOD", weak, False)
        for words, label, confidence, lowercase in (
            (RESULT_VERBS, *self.verb_evidence),
            (HARDWARE_HEADS, None, 0.0, False),
            (metric_heads, "METRIC", context, True),
            (dataset_heads, "DATASET", context, True),
            (method_heads, "METHOD", context, True),
        ):
            self.heads.update(dict.fromkeys(words, (label, confidence, lowercase)))
        self.head_ids = {self.strings.add(word): head for word, head in self.heads.items()}
        self.result_verb_ids = frozenset(self.strings.add(word) for word in self.result_verbs)
        self.context_words = numpy.array(sorted(self.head_ids.keys() | self.result_verb_ids),
                                         dtype=numpy.uint64)
        # Words right before a name, as (label, confidence) by match key.
        self.evidence: dict[str, tuple[str, float]] = {}
        self.matcher = WordSequenceMatcher(nlp.vocab)
        the = (["the"], "?")
        self.evaluation_words = frozenset(evaluation_words)
        self._add("ON", "DATASET", weak, [[(["on", "across"], ""), the]])
        self._add("PROPOSE", "METHOD", context, [
            [(["we"], ""), (PROPOSE_VERBS, ""), (["the", "our"], "?")],
        ])
        self._add("COMPARED", "METHOD", weak, [
            [(COMPARISON_WORDS, ""), the],
            [(["compared", "comparison", "comparable"], ""), (["to", "with"], ""), the],
        ])

    def _add(self, key: str, label: str, confidence: float, patterns: list[list[Step]]) -> None:
        self.evidence[key] = (label, confidence)
        self.matcher.add(key, patterns)

    def context(self, doc: Doc) -> tuple[dict[int, tuple[str | None, float]],
                                          dict[int, tuple[str | None, float]]]:
        """Evidence by token index: ``before[i]`` for a name starting at i, ``after[i]`` for a
        name ending just before i; each is (label, confidence), label None meaning "not a name"."""
        lower = doc.to_array(LOWER)
        words = lower.tolist()
        before: dict[int, tuple[str | None, float]] = {}
        after: dict[int, tuple[str | None, float]] = {}
        for key, start, end in self.matcher(doc, lower):
            label, confidence = self.evidence[key]
            if key == "ON":  # "evaluated on X" is strong, "based on X" none, "on X" weak
                previous = self.strings[words[start - 1]] if start else ""
                if previous in self.evaluation_words:
                    confidence = self.confidence["context"]
                elif previous in _NOT_DATASET_ON or self.strings[words[start]] == "across":
                    continue
            _keep(before, end, label, confidence)
        for i in positions(lower, self.context_words):
            word = words[i]
            head = self.head_ids.get(word)
            if word in self.result_verb_ids and i + 1 < len(doc) \
                    and doc[i + 1].like_num:  # "X scores 80.5", not "BLEU scores"
                head = self.verb_evidence
            if head is not None and (doc[i].is_lower or not head[2]):
                _keep(after, i, head[0], head[1])
        return before, after

    def _after(self, doc: Doc, after: dict, index: int) -> tuple[str | None, float] | None:
        """Right-hand evidence at ``index``, looking past a parenthesised short form."""
        if index in after:
            return after[index]
        if index < len(doc) and doc[index].text == ")" and index + 1 in after:
            return after[index + 1]
        if index < len(doc) and doc[index].text == "(":
            for close in range(index + 2, min(index + 5, len(doc))):
                if doc[close].text == ")":
                    return after.get(close + 1)
        return None

    def candidates(self, doc: Doc) -> list[Span]:
        """The candidate spans of ``doc`` (not yet written to it)."""
        before, after = self.context(doc)
        metric_starts = {start for start, _ in self.metric_matcher(doc)}
        defined = _abbreviation_labels(doc)
        known = covered_tokens(labelled_spans(doc, keys=(TERMS_KEY,)))
        links = link_tokens(doc)
        spans: dict[tuple[int, int], tuple[str, float]] = {}
        for word in name_words(doc):
            tokens = range(word.start, word.end)
            if all(i in known for i in tokens) or any(i in links for i in tokens):
                continue
            text = doc[word.start:word.end].text
            shape = name_shape(text.split(" ")[0])
            evidence = [e for e in (before.get(word.start),
                                    self._after(doc, after, word.context_end)) if e]
            if any(label is None for label, _ in evidence) or text.lower() in self.metric_names:
                continue
            if word.context_end in metric_starts and word.start > 0 \
                    and (doc[word.start - 1].like_num or doc[word.start - 1].text == "%"):
                # "87.8% ImageNet top-1 accuracy": a name between a number and a metric
                evidence.append(("DATASET", self.confidence["context"]))
            if text in defined:
                if defined[text] is None:
                    continue
                evidence.append((defined[text], self.confidence["defined"]))
            if not evidence:
                if shape != "strong":
                    continue
                evidence.append(("METHOD", self.confidence["shape"]))
            label, confidence = max(evidence, key=lambda e: e[1])
            if shape == "strong":
                confidence += self.confidence["shape_bonus"]
            spans[(word.start, word.end)] = (
                label, round(min(confidence, self.confidence["maximum"]), 2))
        spans.update(self._title_case_names(doc, after, known, {end for _, end in spans}))
        return [self._span(doc, start, end, label, confidence)
                for (start, end), (label, confidence) in sorted(spans.items())]

    def _title_case_names(self, doc: Doc, after: dict, known: set[int],
                          name_ends: set[int]) -> dict[tuple[int, int], tuple[str, float]]:
        """"the Visual Genome dataset": up to three Title-case words before a lower-case head."""
        names = {}
        for head, (label, confidence) in after.items():
            if label not in ("METHOD", "DATASET") or confidence < self.confidence["context"]:
                continue
            start = head
            while start > max(head - 3, 0) and doc[start - 1].is_title \
                    and not doc[start - 1].is_sent_start and not doc[start - 1].is_stop:
                start -= 1
            if start < head and not any(i in known for i in range(start, head)) \
                    and head not in name_ends:
                names[(start, head)] = (label, self.confidence["weak_context"])
        return names

    @staticmethod
    def _span(doc: Doc, start: int, end: int, label: str, confidence: float) -> Span:
        span = Span(doc, start, end, label=label)
        attributes = span._
        attributes.kg_source = "candidates"
        attributes.kg_confidence = confidence
        return span

    def __call__(self, doc: Doc) -> Doc:
        add_spans(doc, CANDIDATES_KEY, self.candidates(doc))
        return doc


@Language.factory(
    "kg_candidates",
    default_config={
        "method_heads": list(METHOD_HEADS),
        "dataset_heads": list(DATASET_HEADS),
        "metric_heads": list(METRIC_HEADS),
        "metric_names": list(METRIC_NAMES),
        "evaluation_words": list(EVALUATION_WORDS),
        "confidence": DEFAULT_CONFIDENCE,
    },
)
def make_candidates(
    nlp: Language,
    name: str,
    method_heads: list[str],
    dataset_heads: list[str],
    metric_heads: list[str],
    metric_names: list[str],
    evaluation_words: list[str],
    confidence: dict[str, float],
) -> CandidateFinder:
    """Build the ``kg_candidates`` component (``nlp.add_pipe("kg_candidates")``)."""
    return CandidateFinder(nlp, method_heads, dataset_heads, metric_heads, metric_names,
                           evaluation_words, confidence)

