"""Tests of the shipped gazetteer (kg/resources) and its loader."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from kg.errors import ModelError
from kg.resources import Term, load_terms, resource_path

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_terms_cover_every_type_and_curated_names() -> None:
    terms = load_terms()
    counts = Counter(term.type for term in terms)
    assert set(counts) == {"Method", "Dataset", "Metric", "Task"}
    assert min(counts.values()) > 100
    by_name = {(t.canonical, t.type): t for t in terms}
    assert {"ImageNet-1K", "ILSVRC 2012"} <= set(by_name["ImageNet", "Dataset"].aliases)
    assert "CIFAR10" in by_name["CIFAR-10", "Dataset"].aliases
    assert by_name["mAP", "Metric"].source == "curated"
    assert ("ResNet-50", "Method") in by_name and ("semantic segmentation", "Task") in by_name


def test_shipped_terms_hold_no_generic_words_and_no_repeats() -> None:
    terms = load_terms()
    names = [name for t in terms for name in (t.canonical, *t.aliases)]
    assert not {"model", "method", "data", "results", "performance", "the model"} & {n.lower() for n in names}
    assert len(names) == len(set(names))
    assert terms == sorted(terms, key=lambda t: (t.type, t.canonical.lower(), t.canonical))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name\ttype\n", "expected the header"),
        ("canonical\ttype\taliases\tsource\nBERT\tModel\t\tcurated\n", ":2: expected 4"),
        ("canonical\ttype\taliases\tsource\nBERT\tMethod\n", ":2: expected 4"),
    ],
)
def test_load_terms_rejects_malformed_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "terms.tsv"
    path.write_text(content)
    with pytest.raises(ModelError, match=message):
        load_terms(path)


def test_load_terms_reads_aliases_and_names_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "terms.tsv"
    path.write_text("canonical\ttype\taliases\tsource\nCOCO\tDataset\tMS COCO|MSCOCO\tcurated\n")
    assert load_terms(path) == [Term("COCO", "Dataset", ("MS COCO", "MSCOCO"), "curated")]
    with pytest.raises(ModelError, match="missing.tsv"):
        load_terms(tmp_path / "missing.tsv")
    assert resource_path("terms.tsv").is_file()


def test_build_resources_reproduces_shipped_terms(tmp_path: Path) -> None:
    gazetteers = ROOT.parent / "shared" / "data" / "gazetteers"
    if not gazetteers.is_dir():
        pytest.skip("../shared/data/gazetteers not available")
    out = tmp_path / "terms.tsv"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_resources"), "--out", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == resource_path("terms.tsv").read_bytes()
