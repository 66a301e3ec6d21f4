"""Tests of kg_sentence_fixes: sentences survive abbreviations, real sentence ends stay."""
from __future__ import annotations

import pytest
import spacy

from kg.extract.pipeline import extract_paper, load_pipeline
from kg.extract.sentences import join_abbreviation_breaks
from kg.records import Paper


@pytest.fixture(scope="module")
def sentencizer():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.mark.parametrize("text, sentences", [
    ("Smith et al. propose BERT. It works.", ["Smith et al. propose BERT.", "It works."]),
    ("See Fig. 3 for details. Then stop.", ["See Fig. 3 for details.", "Then stop."]),
    ("We tune on the val. set of COCO.", ["We tune on the val. set of COCO."]),
    ("We beat it (e.g. ResNet). Next.", ["We beat it (e.g. ResNet).", "Next."]),
    ("As in Eq. 2 and Sec. 4 we win vs. baselines.", ["As in Eq. 2 and Sec. 4 we win vs. baselines."]),
    ("Tools etc. are used. Done etc. Then more.", ["Tools etc. are used.", "Done etc.", "Then more."]),
    ("We train it. Al Gore. Fig trees grow.", ["We train it.", "Al Gore.", "Fig trees grow."]),
])
def test_sentences_survive_abbreviations(sentencizer, text, sentences):
    doc = join_abbreviation_breaks(sentencizer(text))
    assert [s.text for s in doc.sents] == sentences


def test_doc_without_sentences_is_left_alone():
    doc = spacy.blank("en")("Smith et al. propose BERT.")
    assert join_abbreviation_breaks(doc) is doc and not doc.has_annotation("SENT_START")


def test_extraction_evidence_keeps_the_whole_sentence():
    nlp = load_pipeline(model=None)
    assert nlp.pipe_names.index("kg_sentence_fixes") == nlp.pipe_names.index("sentencizer") + 1
    abstract = "Following Lee et al. we test ResNet-50 on ImageNet. Results are in Fig. 2."
    paper = Paper(id="x:1", title="A title", abstract=abstract)
    found = extract_paper(paper, nlp)
    sentences = {m.evidence.sentence for m in found.mentions if m.evidence.field == "abstract"}
    assert sentences == {"Following Lee et al. we test ResNet-50 on ImageNet."}
