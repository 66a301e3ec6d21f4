"""``kg eval --gold``: the same numbers as the reference scorer, on hand-made and real records."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.evaluation import gold

GOLD_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "gold"
GOLD = {
    "id": "p1", "title": "ConvNeXt: A ConvNet",
    "methods": [{"name": "ConvNeXt", "aliases": ["ConvNeXt", "ConvNeXts"], "role": "proposed"},
                {"name": "Swin Transformer", "aliases": ["Swin Transformer"], "role": "used"}],
    "datasets": [{"name": "ImageNet", "aliases": ["ImageNet"], "role": "used"}],
    "metrics": [{"name": "top-1 accuracy", "aliases": ["top-1 accuracy"]}],
    "tasks": [], "repos": ["https://github.com/facebookresearch/ConvNeXt"], "urls": [],
    "results": [{"method": "ConvNeXt", "dataset": "ImageNet", "metric": "top-1 accuracy",
                 "value": "87.8%"}],
}
RECORD = {
    "title": "ConvNeXt: a ConvNet!",
    "entities": [
        {"id": "m1", "type": "Method", "name": "ConvNeXt", "role": "proposed", "confidence": 0.9,
         "mentions": [{"text": "ConvNeXts"}]},
        {"id": "m2", "type": "Method", "name": "hybrid approach", "role": "used", "confidence": 0.25,
         "mentions": []},
        {"id": "d1", "type": "Dataset", "name": "the ImageNet", "role": "used", "confidence": 0.8},
        {"id": "x1", "type": "Metric", "name": "top-1", "confidence": 0.6},
    ],
    "repositories": [{"url": "https://github.com/facebookresearch/ConvNeXt.git"}],
    "results": [{"method": "m1", "dataset": "d1", "metric": "x1", "value": 87.8},
                {"method": "m1", "dataset": None, "metric": None, "value": 2.0}],
}


def _reference(records: list[dict], gold_path: Path, tmp_path: Path) -> dict:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = subprocess.run([sys.executable, str(GOLD_DIR / "score.py"), str(path), "--gold",
                          str(gold_path), "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_hand_made_scores() -> None:
    scores = gold.score_records([RECORD], [GOLD]).scores
    assert scores["methods"] == {"p": 0.5, "r": 0.5, "f1": 0.5, "tp": 1, "fp": 1, "fn": 1}
    assert scores["datasets"]["f1"] == 1.0
    assert scores["metrics"]["tp"] == 0
    assert scores["proposed"]["f1"] == 1.0
    assert scores["repos"]["tp"] == 1
    assert scores["results(value)"] == {"p": 0.5, "r": 1.0, "f1": 0.667, "tp": 1, "fp": 1, "fn": 0}
    assert scores["results(tuple)"]["tp"] == 0  # the metric "top-1" is not "top-1 accuracy"
    assert scores["result-method"]["tp"] == scores["result-dataset"]["tp"] == 1


def test_errors_and_thresholds() -> None:
    result = gold.with_thresholds([RECORD], [GOLD], thresholds=(0.3, 0.7))
    kinds = {(e["kind"], e["type"], e["name"]) for e in result.errors}
    assert ("false positive", "methods", "hybrid approach") in kinds
    assert ("miss", "methods", "Swin Transformer") in kinds
    assert result.thresholds["0.3"]["methods"]["fp"] == 0
    assert result.thresholds["0.7"]["datasets"]["tp"] == 1
    assert result.thresholds["0.7"]["metrics"]["fp"] == 0
    assert "hybrid approach" in gold.format_errors(result)


def test_calibration_bins_count_the_entities_the_gold_has() -> None:
    bins = gold.calibration([RECORD], [GOLD])
    # ConvNeXt 0.9 and ImageNet 0.8 are right; "top-1" (0.6) is not "top-1 accuracy" to the
    # scorer, and the hybrid approach (0.25) is no gold entity
    assert bins == {"0.2-0.3": {"precision": 0.0, "entities": 1}, "0.6-0.7": {"precision": 0.0, "entities": 1},
                    "0.8-0.9": {"precision": 1.0, "entities": 1}, "0.9-1.0": {"precision": 1.0, "entities": 1}}
    assert "0.9-1.0" in gold.format_gold_table(gold.with_thresholds([RECORD], [GOLD]))


needs_gold = pytest.mark.skipif(not (GOLD_DIR / "score.py").is_file(),
                                reason="../shared/gold is not beside the checkout")


@needs_gold
def test_hand_made_scores_equal_the_reference_scorer(tmp_path: Path) -> None:
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(json.dumps(GOLD) + "\n", encoding="utf-8")
    ours = gold.score_records([RECORD], [GOLD]).scores
    theirs = _reference([RECORD], gold_path, tmp_path)
    assert {k: ours[k] for k in theirs} == theirs


@pytest.fixture(scope="module")
def dev_records() -> list[dict]:
    return gold.build_records(GOLD_DIR / "dev-input.jsonl")


@needs_gold
def test_dev_gold_scores_equal_the_reference_scorer(dev_records: list[dict], tmp_path: Path) -> None:
    gold_path = GOLD_DIR / "dev-gold.jsonl"
    ours = gold.score_records(dev_records, gold.read_gold(gold_path)).scores
    theirs = _reference(dev_records, gold_path, tmp_path)
    assert {k: ours[k] for k in theirs} == theirs
    assert theirs["papers-missing"] == 0


@needs_gold
def test_higher_confidence_is_more_precise_on_dev(dev_records: list[dict]) -> None:
    result = gold.with_thresholds(dev_records, gold.read_gold(GOLD_DIR / "dev-gold.jsonl"))
    for kind in gold.TYPES:
        precisions = [result.thresholds[t][kind]["p"] for t in sorted(result.thresholds)]
        # A step up in confidence never costs precision beyond one or two entities of the
        # few dozen above 0.7 (sampling noise), and the most confident are clearly the surest.
        assert all(later >= earlier - 0.02 for earlier, later in zip(precisions, precisions[1:])), (kind, precisions)
        assert precisions[-1] > precisions[0] + 0.05, (kind, precisions)


@needs_gold
def test_kg_eval_gold_prints_the_table() -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    out = CliRunner().invoke(cli, ["eval", "--gold", str(GOLD_DIR / "dev-gold.jsonl"), "--json", "-"])
    assert out.exit_code == 0, out.output
    scores = json.loads(out.output)["scores"]
    assert 0.0 < scores["macro-f1-4types"] <= 1.0
    table = CliRunner().invoke(cli, ["eval", "--gold", str(GOLD_DIR / "dev-gold.jsonl")])
    assert "macro-F1 (4 types)" in table.output and "proposed methods (role)" in table.output


def test_gold_input_beside_the_gold_file() -> None:
    assert gold.gold_input_path("x/dev-gold.jsonl") == Path("x/dev-input.jsonl")
    with pytest.raises(gold.InputError):
        gold.gold_input_path("x/answers.jsonl")


@needs_gold
def test_readme_shows_what_kg_eval_gold_prints(dev_records: list[dict]) -> None:
    import re

    from kg.normalize.worthiness import load_node_model

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- kg eval --gold -->\n```\n(.*?)\n```", readme, re.S)
    assert shown, "README: no kg eval --gold table"
    table = gold.format_gold_table(gold.with_thresholds(dev_records, gold.read_gold(GOLD_DIR / "dev-gold.jsonl")))
    assert shown.group(1) == table
    threshold = load_node_model().threshold
    assert f"entities below {threshold:g} are left out" in readme
    from kg.normalize.entities import LOWER_SHARE

    assert f"kept from {threshold * LOWER_SHARE:g}:" in readme
    assert f"default {threshold:g})" in readme
