"""The fast paths of the extraction components give what the plain spaCy ways give."""
from __future__ import annotations

import random

import numpy
import pytest
import spacy
from spacy.attrs import PREFIX
from spacy.matcher import Matcher
from spacy.tokens import Doc

from kg.extract.candidates import (
    _SHORT_VERSION,
    _SPLIT,
    _VERSION,
    METHOD_HEADS,
    MODIFIER_SUFFIXES,
    NameWord,
    WordSequenceMatcher,
    name_shape,
    name_words,
    positions,
)
from kg.extract.extensions import doc_text
from kg.extract.mentions import DocEvidence
from kg.extract.numbers import split_quantity
from kg.extract.results import ResultFinder

PIECES = [
    "GPT-3.5", "(", ")", "'s", "-", "+", "v2", "2.0", "test-clean", "CLIP-based", "multi-DARTS",
    "BERT", "model", ".", ",", "\n", " ", "x86", "’", "\"", "[", "]", "wav2vec", "LLaMA", "2",
    "A100", "-aware", "ed", "ResNet-50", "e.g.", "3DGS", "{x}", "O(1)", "we", "propose", "on",
    "the", "also", "compared", "to", "Visual", "Genome", "dataset", "+1.2", ".5%", "-3", "87.8%",
    "٣٫٥%", "３", "−2",
]


def random_texts(count: int, seed: int = 0) -> list[str]:
    """Texts glued from ``PIECES`` with and without spaces, so runs of all kinds occur."""
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) + rng.choice(["", " ", ""])
                    for _ in range(rng.randint(1, 30))) for _ in range(count)]


@pytest.fixture(scope="module", params=[False, True], ids=["blank", "sentencizer"])
def nlp(request):
    nlp = spacy.blank("en")
    if request.param:
        nlp.add_pipe("sentencizer")
    return nlp


# -- WordSequenceMatcher ----------------------------------------------------------------

SEQUENCES = {
    "once": [[(["on", "across"], ""), (["the"], "")]],
    "optional": [[(["on"], ""), (["the"], "?")], [(["compared"], ""), (["to", "with"], ""),
                                                  (["the"], "?")]],
    "any": [[(["we"], ""), (["also", "then", "first"], "*"), (["propose", "dataset"], "")]],
    "trailing": [[(["we", "which"], ""), (["call", "propose"], ""),
                  (["it", "the"], "?"), (["model", "dataset"], "?")]],
}


def _spacy_pattern(steps):
    return [{"LOWER": {"IN": list(words)}, **({"OP": op} if op else {})} for words, op in steps]


@pytest.mark.parametrize("kind", sorted(SEQUENCES))
def test_word_sequences_match_as_spacy_matcher(nlp, kind):
    fast, reference = WordSequenceMatcher(nlp.vocab), Matcher(nlp.vocab)
    fast.add(kind, SEQUENCES[kind])
    reference.add(kind, [_spacy_pattern(steps) for steps in SEQUENCES[kind]])
    texts = random_texts(400) + ["We also then first propose the model", "on the the on",
                                 "we", "compared with the", "Which call it dataset"]
    for doc in nlp.pipe(texts):
        expected = [(nlp.vocab.strings[key], start, end) for key, start, end in reference(doc)]
        assert fast(doc) == expected, doc.text


def test_word_sequence_must_start_with_one_token(nlp):
    with pytest.raises(ValueError, match="first step"):
        WordSequenceMatcher(nlp.vocab).add("X", [[(["the"], "?"), (["model"], "")]])


def test_positions(nlp):
    doc = nlp("the model and the data")
    ids = doc.to_array("LOWER")
    the = sorted({nlp.vocab.strings["the"], nlp.vocab.strings["data"]})
    assert positions(ids, ids[:0]) == []
    assert positions(ids, numpy.array(the, dtype=numpy.uint64)) == [0, 3, 4]


# -- name words -------------------------------------------------------------------------

def _reference_name_words(doc: Doc) -> list[NameWord]:
    """name_words as a walk over Token objects: glued runs, trimmed, with versions kept."""
    runs, start, plain, glued = [], None, True, False
    for token in doc:
        joinable = token.text in "-+" or (
            not token.is_punct and not token.is_space and token.text[0] not in "'’([{\""
            and token.text[-1] not in ")]}\"")
        if start is not None and (not joinable or not glued or token.is_sent_start):
            runs.append((start, token.i, plain))
            start = None
        if joinable and start is None:
            start, plain = token.i, True
        if start is not None and plain:
            plain = token.text in "-+" or (token.is_alpha and (token.is_lower or token.is_title))
        glued = not token.whitespace_
    if start is not None:
        runs.append((start, len(doc), plain))
    words = []
    for index, (run_start, run_end, plain) in enumerate(runs):
        if plain:
            continue
        start, end = run_start, run_end
        while start < end and doc[start].text in "-+":
            start += 1
        while end > start and doc[end - 1].text in "-+":
            end -= 1
        while start + 2 < end and doc[start + 1].text == "-" and doc[start].is_lower \
                and len(doc[start]) > 2:
            start += 2
        while end - 2 > start and doc[end - 2].text == "-" and doc[end - 1].is_lower and (
                doc[end - 1].lower_ in MODIFIER_SUFFIXES or doc[end - 1].lower_.endswith("ed")):
            end -= 2
        if start >= end or name_shape(doc[start:end].text) is None:
            continue
        context_end = run_end
        if end == run_end and index + 1 < len(runs) and runs[index + 1][0] == end \
                and doc[end - 1].whitespace_:
            text = doc[end:runs[index + 1][1]].text
            after = doc[runs[index + 1][1]] if runs[index + 1][1] < len(doc) else None
            if _VERSION.match(text) or _SPLIT.match(text) or (_SHORT_VERSION.match(text) and (
                    after is None or after.is_punct or after.lower_ in METHOD_HEADS)):
                end = context_end = runs[index + 1][1]
        words.append(NameWord(start, end, context_end))
    return words


def test_name_words_match_the_token_walk(nlp):
    texts = random_texts(1500, seed=1) + ["We use CLIP-based PC-DARTS.", "wav2vec 2.0 model"]
    for doc in nlp.pipe(texts):
        assert name_words(doc) == _reference_name_words(doc), doc.text


def test_name_words_end_at_sentence_starts(nlp):
    rng = random.Random(3)
    for text in random_texts(500, seed=4):
        tokens = nlp.make_doc(text)
        doc = Doc(nlp.vocab, words=[t.text for t in tokens],
                  spaces=[bool(t.whitespace_) for t in tokens],
                  sent_starts=[rng.random() < 0.3 for _ in tokens])
        assert name_words(doc) == _reference_name_words(doc), doc.text


def test_name_words_are_kept_until_the_tokens_change(nlp):
    doc = nlp("We merge GPT-3.5 and BERT here.")
    first = name_words(doc)
    assert name_words(doc) == first
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[0:2])
    assert [doc[w.start:w.end].text for w in name_words(doc)] == ["GPT-3.5", "BERT"]
    assert name_words(doc) != first


# -- text, sentences, numbers -----------------------------------------------------------

def test_doc_text_is_kept_and_survives_merges(nlp):
    doc = nlp("See https://github.com/a/b for code.  Done.")
    assert doc_text(doc) == doc.text
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[1:4])
    assert doc_text(doc) == doc.text


@pytest.mark.parametrize("text", [
    "Deep models (DM) work.  They are fast!\nNew line here. x",
    " Leading space. Two  spaces here.",
    "One",
    "",
])
def test_evidence_sentence_is_the_span_sentence(nlp, text):
    doc = nlp(text)
    evidence = DocEvidence(doc)
    for start in range(len(text) + 1):
        for end in range(start + 1, len(text) + 1):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or not doc.has_annotation("SENT_START"):
                sentence = doc[:]
            elif span.start >= len(doc):
                continue  # spaCy reads past the last token here
            else:
                sentence = span.sent
            assert evidence.sentence(start, end) == (sentence.start_char, sentence.end_char)


def test_numbers_start_with_a_number_prefix(nlp):
    prefixes = ResultFinder(nlp).number_prefixes
    for doc in nlp.pipe(random_texts(300, seed=2) + ["+1.2 points, .5% and -3 dB, ٣ and ３"]):
        starts = set(positions(doc.to_array(PREFIX), prefixes))
        assert all(token.i in starts for token in doc if split_quantity(token.text) is not None)
