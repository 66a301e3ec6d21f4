"""RowExactOps: numpy's BLAS for the NER's products, each row's result independent of its neighbours."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from thinc.api import NumpyOps
from threadpoolctl import threadpool_info

import kg
from kg.extract import load_pipeline
from kg.extract import gemm
from kg.extract.gemm import RowExactOps, one_blas_thread, row_exact_block, use_row_exact_ops

MODEL = Path(kg.__file__).resolve().parent / "models" / "kg_ner"
TEXTS = [
    "We fine-tune ResNet-50 on ImageNet and report top-1 accuracy.",
    "EvoPrompt reaches 87.8% on BIG-Bench Hard, beating chain-of-thought prompting.",
    "Our FBNetV5 is 2.4x smaller than MobileNetV2 on COCO object detection, "
    "and the code is at https://github.com/facebookresearch/mobile-vision.",
    "BLEU",
]
# (inputs, outputs) of the NER's products and a few shapes no block divides
SHAPES = [(288, 288), (480, 288), (96, 96), (96, 384), (5, 3), (1, 17)]


def _rng() -> np.random.Generator:
    return np.random.default_rng(7)


@pytest.mark.parametrize("k, n", SHAPES)
@pytest.mark.parametrize("rows", [1, 7, 8, 9, 100])
def test_each_row_is_the_product_of_that_row_alone(k, n, rows):
    rng = _rng()
    x = rng.standard_normal((rows, k)).astype("float32")
    w = rng.standard_normal((n, k)).astype("float32")
    ops = RowExactOps()
    together = ops.gemm(x, w, trans2=True)
    assert together.shape == (rows, n) and together.dtype == np.float32
    alone = np.vstack([ops.gemm(x[i:i + 1], w, trans2=True) for i in range(rows)])
    assert np.array_equal(together, alone)
    # and the same row between other rows, at another offset
    shifted = np.vstack([rng.standard_normal((3, k)).astype("float32"), x])
    assert np.array_equal(ops.gemm(shifted, w, trans2=True)[3:], together)
    np.testing.assert_allclose(together, NumpyOps().gemm(x, w, trans2=True), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("trans1, trans2", [(False, False), (True, False), (False, True), (True, True)])
def test_transposes_and_out_give_the_product(trans1, trans2):
    rng = _rng()
    a = rng.standard_normal((20, 12)).astype("float32")
    b = rng.standard_normal((12, 6)).astype("float32")
    x = np.ascontiguousarray(a.T) if trans1 else a
    y = np.ascontiguousarray(b.T) if trans2 else b
    out = np.full((20, 6), np.nan, dtype="float32")
    got = RowExactOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
    assert got is out
    np.testing.assert_allclose(out, a @ b, rtol=1e-5, atol=1e-5)


def test_other_dtypes_and_unprobed_shapes_use_thincs_products(monkeypatch):
    rng = _rng()
    x64, w64 = rng.standard_normal((9, 4)), rng.standard_normal((3, 4))
    for ops in (NumpyOps(), RowExactOps()):  # thinc's products take float32 only, and so do kg's
        with pytest.raises(ValueError, match="float32"):
            ops.gemm(x64, w64, trans2=True)
    # where no block is exact, blis does every product
    monkeypatch.setattr(gemm, "row_exact_block", lambda *args, **kwargs: None)
    x, w = x64.astype("float32"), w64.astype("float32")
    assert np.array_equal(RowExactOps().gemm(x, w, trans2=True), NumpyOps().gemm(x, w, trans2=True))


def test_the_probe_takes_the_largest_block_exact_at_every_position(monkeypatch):
    def product(rows, weights, block):
        """exact row by row (each row's first value, repeated), but for blocks of more than 2
        rows the last position of a block comes out one float step higher"""
        result = np.repeat(rows[:, :1], weights.shape[1], axis=1)
        if block > 2:
            last = np.arange(len(rows)) % block == block - 1
            result[last] = np.nextafter(result[last], np.float32(np.inf))
        return result

    monkeypatch.setattr(gemm, "_stacked", product)
    assert row_exact_block(16, 4) == 2
    assert row_exact_block(16, 4, blocks=[8, 4]) is None
    assert row_exact_block(16, 4, blocks=[]) is None


def _blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


def test_one_blas_thread_limits_the_threads_and_nests():
    before = _blas_threads()
    with one_blas_thread():
        assert _blas_threads() == {1}
        with one_blas_thread():
            assert _blas_threads() == {1}
        assert _blas_threads() == {1}  # the inner block leaves the outer limit in place
    assert _blas_threads() == before


@pytest.fixture(scope="module")
def pipeline() -> spacy.Language:
    return load_pipeline(model=MODEL)


def test_the_pipelines_ner_runs_on_row_exact_ops(pipeline):
    ner = pipeline.get_pipe("ner")
    assert all(isinstance(node.ops, RowExactOps) for node in ner.model.walk())
    assert use_row_exact_ops(ner.model, ner.model.ops) is ner.model.ops


def test_a_docs_vectors_do_not_depend_on_the_docs_batched_with_it(pipeline):
    tok2vec = pipeline.get_pipe("ner").model.get_ref("tok2vec")  # one row per token of the batch
    docs = [pipeline.make_doc(text) for text in TEXTS]
    ends = np.cumsum([len(doc) for doc in docs])
    together = np.split(tok2vec.predict(docs), ends[:-1])
    for doc, vectors in zip(docs, together):
        assert vectors.shape[0] == len(doc) and np.array_equal(tok2vec.predict([doc]), vectors)
    backwards = tok2vec.predict(docs[::-1])
    assert np.array_equal(backwards[:len(docs[-1])], together[-1])
    assert np.array_equal(backwards[-len(docs[0]):], together[0])


def test_the_ner_finds_what_the_model_on_thincs_products_finds(pipeline):
    trained = spacy.load(MODEL)
    with pipeline.select_pipes(enable=["kg_ner"]):
        for text in TEXTS:
            assert [(e.start_char, e.end_char, e.label_) for e in pipeline(text).ents] == \
                [(e.start_char, e.end_char, e.label_) for e in trained(text).ents]
