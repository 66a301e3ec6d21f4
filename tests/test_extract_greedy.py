"""kg_ner (kg.extract.greedy): the trained NER decoded for all tokens at once finds, token
for token, what spaCy's transition loop finds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, Span

import kg
from kg.extract import greedy, load_pipeline
from kg.extract.gemm import one_blas_thread
from kg.extract.greedy import GreedyNER, Moves, decodable

MODEL = Path(kg.__file__).resolve().parent / "models" / "kg_ner"
SAMPLE = Path(kg.__file__).resolve().parent / "sample" / "papers.jsonl"
EDGES = [
    "",
    " ",
    "BLEU",
    "\n\nImageNet\n",
    "We evaluate on ImageNet.\n\nResults on COCO object detection and ADE20K semantic segmentation follow.",
    "BERT. GPT-2. T5. RoBERTa on GLUE. SQuAD v1.1 F1. ResNet-50 top-1 accuracy.",
    "Our   model ,  trained with stochastic gradient descent  , beats  LSTM  baselines on Penn Treebank .",
    "A long name: the Very Deep Convolutional Neural Network With Residual Attention Blocks For Image "
    "Classification And Detection reaches 80.1% mean average precision on PASCAL VOC 2007 and MS COCO.",
]


def _texts() -> list[str]:
    papers = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    return [paper[field] for paper in papers for field in ("title", "abstract")] + EDGES


@pytest.fixture(scope="module")
def pipeline() -> spacy.Language:
    return load_pipeline(model=MODEL)


def _before_ner(pipeline: spacy.Language, texts: list[str]) -> list[Doc]:
    """New docs of ``texts`` through the components that run before the NER."""
    before = pipeline.pipe_names[:pipeline.pipe_names.index("kg_ner")]
    with pipeline.select_pipes(enable=before):
        return list(pipeline.pipe(texts))


def _tags(docs: list[Doc]) -> list[list[tuple[str, str]]]:
    return [[(token.ent_iob_, token.ent_type_) for token in doc] for doc in docs]


def _spacy_loop(pipeline: spacy.Language, docs: list[Doc]) -> list[Doc]:
    with one_blas_thread():
        return list(pipeline.get_pipe("ner").pipe(docs, batch_size=64))


def test_the_pipeline_decodes_its_ner_with_kg_ner(pipeline):
    assert "kg_ner" in pipeline.pipe_names and "ner" not in pipeline.pipe_names
    assert pipeline.pipe_names.index("kg_ner") < pipeline.pipe_names.index("kg_terms")
    assert pipeline.disabled == ["ner"]
    component = pipeline.get_pipe("kg_ner")
    assert isinstance(component, GreedyNER) and component.recognizer is pipeline.get_pipe("ner")
    assert decodable(component.recognizer)


@pytest.mark.parametrize("window", [1, 2, greedy.INSIDE_WINDOW])
@pytest.mark.parametrize("batch_size", [1, 5, 64])
def test_kg_ner_tags_every_token_as_spacys_loop(pipeline, monkeypatch, window, batch_size):
    monkeypatch.setattr(greedy, "INSIDE_WINDOW", window)  # entities longer than a window take rounds
    texts = _texts()
    expected = _tags(_spacy_loop(pipeline, _before_ner(pipeline, texts)))
    with one_blas_thread():
        found = list(pipeline.get_pipe("kg_ner").pipe(_before_ner(pipeline, texts), batch_size=batch_size))
    assert _tags(found) == expected
    assert sum(len(doc.ents) for doc in found) > 100  # the sample has entities to find
    assert any(len(entity) > 2 for doc in found for entity in doc.ents)


def test_a_docs_entities_do_not_depend_on_the_docs_decoded_with_it(pipeline):
    texts = _texts()
    component = pipeline.get_pipe("kg_ner")
    with one_blas_thread():
        together = component.entities(_before_ner(pipeline, texts))
        alone = [component.entities(_before_ner(pipeline, [text]))[0] for text in texts]
        backwards = component.entities(_before_ner(pipeline, texts[::-1]))[::-1]
    assert together == alone == backwards


def test_a_doc_with_preset_entities_goes_through_spacys_loop(pipeline):
    text = "We fine-tune ResNet-50 on ImageNet and report top-1 accuracy."

    def preset() -> Doc:
        doc = _before_ner(pipeline, [text])[0]
        doc.set_ents([Span(doc, 0, 1, label="TASK")], default="unmodified")  # "We", the rest unknown
        return doc

    expected = _tags(_spacy_loop(pipeline, [preset()]))
    found = pipeline.get_pipe("kg_ner")(preset())
    assert _tags([found]) == expected and found.ents[0].text == "We"
    plain = _before_ner(pipeline, [text])[0]
    assert [e.text for e in pipeline.get_pipe("kg_ner")(plain).ents] == \
        [e.text for e in _spacy_loop(pipeline, _before_ner(pipeline, [text]))[0].ents]


def test_the_moves_are_the_recognizers_classes(pipeline):
    recognizer = pipeline.get_pipe("ner")
    moves = Moves.of(recognizer)
    assert moves is not None
    names = [recognizer.moves.get_class_name(i) for i in range(recognizer.moves.n_moves)]
    assert [names[i] for i in moves.inside] == [f"I-{label}" for label in sorted(recognizer.labels)]
    assert [names[i] for i in moves.last] == [f"L-{label}" for label in sorted(recognizer.labels)]
    assert moves.begin.sum() == moves.unit.sum() == len(recognizer.labels)
    assert moves.out.sum() == 1 and not (moves.begin & moves.unit).any()


def test_a_model_it_does_not_fit_is_left_to_spacy(pipeline):
    recognizer = pipeline.get_pipe("ner")
    assert not decodable(pipeline.get_pipe("sentencizer"))
    assert not decodable(object())
    blank = spacy.blank("en")
    other = blank.add_pipe("ner", config={"model": {"extra_state_tokens": True}})
    other.add_label("METHOD")
    blank.initialize()
    assert not decodable(other)  # six state features, not three
    beam = spacy.blank("en").add_pipe("beam_ner")
    assert not decodable(beam)
    assert GreedyNER(recognizer)._moves is not None
    recognizer.model.attrs["unseen_classes"].add(0)
    try:
        assert not decodable(recognizer)
        # a recognizer it cannot decode: every doc goes through spaCy's loop, same tags
        fallback = GreedyNER(recognizer)
        assert fallback._moves is None
        text = "We fine-tune ResNet-50 on ImageNet."
        assert _tags([fallback(_before_ner(pipeline, [text])[0])]) == \
            _tags(_spacy_loop(pipeline, _before_ner(pipeline, [text])))
    finally:
        recognizer.model.attrs["unseen_classes"].discard(0)
    assert decodable(recognizer)


def test_no_entity_crosses_a_sentence_start(pipeline):
    text = "We fine-tune the residual network ResNet-50 on Penn Treebank and MS COCO object detection."
    whole = pipeline.get_pipe("kg_ner")(_before_ner(pipeline, [text])[0])
    breaks = [entity.start + 1 for entity in whole.ents if len(entity) > 1]
    assert breaks  # names of several tokens, each cut by a sentence start below

    def split() -> Doc:
        doc = _before_ner(pipeline, [text])[0]
        for index in breaks:
            doc[index].is_sent_start = True
        return doc

    found = pipeline.get_pipe("kg_ner")(split())
    assert _tags([found]) == _tags(_spacy_loop(pipeline, [split()]))
    assert not any(index in range(e.start + 1, e.end) for e in found.ents for index in breaks)
