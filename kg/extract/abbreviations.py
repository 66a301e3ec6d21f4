"""The ``kg_abbreviations`` component: Schwartz & Hearst (2003) short form <-> long form pairs.

Both "long form (SF)" and "SF (long form)" are found.  The helpers work on plain strings with
character offsets so they can be tested without spaCy; the component maps offsets to spans.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.extensions import doc_text, register_extensions

__all__ = [
    "AbbreviationMatch",
    "AbbreviationDetector",
    "find_abbreviations",
    "long_form_start",
    "make_abbreviations",
    "parenthesised",
    "short_form_ok",
]

# A parenthesis that opens with these words is an aside, not a definition.
_ASIDE = re.compile(r"(?i)^(?:e\.g\.|i\.e\.|cf\.|see\b|viz\.|etc\b|resp\.|et al)")
# A long form never reaches back over the end of a previous sentence or clause.
_CLAUSE_END = re.compile(r"[.;!?:]\s|[()\[\]]")
_MAX_LONG_WORDS_INSIDE = 8
_PARENTHESIS = re.compile(r"[()]")
# Characters before a parenthesis searched for its long form or short form: far more than
# the at most 20 words of a long form, and a bound that keeps the search linear in the text.
_MAX_LOOKBACK = 400


class AbbreviationMatch(NamedTuple):
    """Character offsets of a short form and of the long form it stands for."""

    short_start: int
    short_end: int
    long_start: int
    long_end: int


def parenthesised(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` offsets of every top-level balanced ``( ... )`` in ``text``.

    >>> parenthesised("a (b (c)) d (e")
    [(2, 8)]
    """
    pairs, depth, opened = [], 0, 0
    for match in _PARENTHESIS.finditer(text):
        index = match.start()
        if match.group() == "(":
            if depth == 0:
                opened = index
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                pairs.append((opened, index))
    return pairs


def short_form_ok(candidate: str) -> bool:
    """Whether ``candidate`` can be a short form: one word of 2-10 characters, starting with a
    letter, at least half letters, with an upper-case letter (so "see", "x,f(x)" are not).

    >>> short_form_ok("LLMs"), short_form_ok("2023"), short_form_ok("model")
    (True, False, False)
    """
    if not 2 <= len(candidate) <= 10 or any(c.isspace() for c in candidate):
        return False
    letters = sum(c.isalpha() for c in candidate)
    return (
        candidate[0].isalpha()
        and letters * 2 >= len(candidate)
        and any(c.isupper() for c in candidate)
    )


def long_form_start(short: str, long_candidate: str) -> int | None:
    """Offset in ``long_candidate`` where the long form of ``short`` starts, or None.

    Schwartz & Hearst: walk the short form's letters and digits from the end, matching each to
    the nearest earlier character of the candidate; the first one must start a word.

    >>> long_form_start("OOCR", "inductive out-of-context reasoning")
    10
    """
    long_index = len(long_candidate) - 1
    for short_index in range(len(short) - 1, -1, -1):
        char = short[short_index].lower()
        if not char.isalnum():
            continue
        while long_index >= 0 and (
            long_candidate[long_index].lower() != char
            or (short_index == 0 and long_index > 0 and long_candidate[long_index - 1].isalnum())
        ):
            long_index -= 1
        if long_index < 0:
            return None
        long_index -= 1
    return long_index + 1


def _short_form_inside(content: str) -> str:
    """The short form candidate of a parenthesis: its text before ``,``/``;``/a nested ``(``."""
    return re.split(r"[,;]|\s\(", content, maxsplit=1)[0].strip()


def _long_form_before(text: str, open_index: int, short: str) -> tuple[int, int] | None:
    """Offsets of the long form that ends just before the ``(`` at ``open_index``."""
    end = open_index
    while end > 0 and text[end - 1].isspace():
        end -= 1
    window = max(0, end - _MAX_LOOKBACK)
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, window, end)), default=window)
    max_words = min(len(short) + 5, len(short) * 2)
    words = list(re.finditer(r"\S+", text[clause_start:end]))[-max_words:]
    if not words:
        return None
    window_start = clause_start + words[0].start()
    start = long_form_start(short, text[window_start:end])
    if start is None:
        return None
    return window_start + start, end


def _definition(text: str, open_index: int, close_index: int) -> AbbreviationMatch | None:
    """The abbreviation a parenthesis defines, or None when it is an aside."""
    inner_start = open_index + 1
    content = text[inner_start:close_index]
    stripped = content.strip()
    if not stripped or _ASIDE.match(stripped):
        return None
    short = _short_form_inside(stripped)
    if short_form_ok(short):
        long_span = _long_form_before(text, open_index, short)
        if long_span is None or long_span[1] - long_span[0] <= len(short):
            return None
        short_start = inner_start + content.index(short)
        return AbbreviationMatch(short_start, short_start + len(short), *long_span)
    return _short_before(text, open_index, content, inner_start)


def _short_before(text: str, open_index: int, content: str, inner_start: int) -> AbbreviationMatch | None:
    """The "SF (long form)" case: the word before the parenthesis abbreviates its content."""
    window = max(0, open_index - _MAX_LOOKBACK)
    word = re.search(r"(\S+)\s*$", text[window:open_index])
    if word is None:
        return None
    short = word.group(1)
    words = content.split()
    if not short_form_ok(short) or not 2 <= len(words) <= _MAX_LONG_WORDS_INSIDE:
        return None
    long_text = content.strip()
    start = long_form_start(short, long_text)
    # The long form must be the whole parenthesis, from its first word on.
    if start != 0:
        return None
    long_start = inner_start + content.index(long_text)
    return AbbreviationMatch(window + word.start(1), window + word.end(1), long_start,
                             long_start + len(long_text))


def find_abbreviations(text: str) -> list[AbbreviationMatch]:
    """Every abbreviation defined in ``text``, in order.

    >>> text = "large language models (LLMs)"
    >>> [(text[m.short_start:m.short_end], text[m.long_start:m.long_end])
    ...  for m in find_abbreviations(text)]
    [('LLMs', 'large language models')]
    """
    found = (_definition(text, start, end) for start, end in parenthesised(text))
    return [match for match in found if match is not None]


class AbbreviationDetector:
    """Writes ``doc._.kg_abbreviations``: a list of ``(short form, long form)`` span pairs."""

    def __call__(self, doc: Doc) -> Doc:
        pairs = []
        for match in find_abbreviations(doc_text(doc)):
            short = _span(doc, match.short_start, match.short_end)
            long = _span(doc, match.long_start, match.long_end)
            if short is not None and long is not None:
                pairs.append((short, long))
        doc._.kg_abbreviations = pairs
        return doc


def _span(doc: Doc, start: int, end: int) -> Span | None:
    """The span of ``doc`` at these offsets, widened to whole tokens when they cut one."""
    return doc.char_span(start, end) or doc.char_span(start, end, alignment_mode="expand")


@Language.factory("kg_abbreviations")
def make_abbreviations(nlp: Language, name: str) -> AbbreviationDetector:
    """Build the ``kg_abbreviations`` component."""
    register_extensions()
    return AbbreviationDetector()
