"""Tests of canonical metrics, typed results and leaderboards (SPARQL, Cypher, CLI, README).

Every text here is written for the test, in the shapes abstracts use; none is a seed or
gold abstract.
"""
from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from extract_support import run_components
from kg.cli import cli
from kg.export.neo4j import write_neo4j
from kg.export.rdf import write_turtle
from kg.extract.numbers import normalise_quantity
from kg.graph import build_graph
from kg.leaderboard import leaderboards
from kg.normalize.metrics import canonical_metric, metric_direction, metric_table
from kg.build import extract_records
from kg.records import Paper
from test_neo4j import QUERIES, cypher, load_into_ladybug

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("written,canonical,dataset,setting", [
    ("top-1", "top-1 accuracy", None, None),
    ("Top-1 Acc", "top-1 accuracy", None, None),
    ("ImageNet top-1", "top-1 accuracy", "ImageNet", None),
    ("ImageNet accuracy", "top-1 accuracy", "ImageNet", None),
    ("top-1 accuracy on ImageNet-1K", "top-1 accuracy", "ImageNet-1K", None),
    ("zero-shot top-1 accuracy", "top-1 accuracy", None, "zero-shot"),
    ("COCO AP", "box AP", "COCO", None),
    ("AP^box", "box AP", None, None),
    ("mean IU", "mIoU", None, None),
    ("Fréchet Inception Distance", "FID", None, None),
    ("BLEU points", "BLEU", None, None),
    ("F1-score", "F1", None, None),
    ("SOTA perplexity", "perplexity", None, None),
    ("word error rate", "WER", None, None),
    ("#params", "parameters", None, None),
    ("inference latency", "latency", None, None),
    ("denotation accuracy", "denotation accuracy", None, None),
    ("GLUE score", "GLUE score", None, None),
])
def test_canonical_metric_names(written, canonical, dataset, setting):
    name = canonical_metric(written)
    assert (name.canonical, name.dataset, name.setting) == (canonical, dataset, setting)


@pytest.mark.parametrize("name,direction", [
    ("top-1 accuracy", "higher"), ("BLEU", "higher"), ("mIoU", "higher"), ("box AP", "higher"),
    ("FID", "lower"), ("perplexity", "lower"), ("top-5 error", "lower"), ("latency", "lower"),
    ("parameters", "lower"), ("FLOPs", "lower"), ("WER", "lower"),
    ("denotation accuracy", "higher"), ("scaling efficiency", "unknown"),
])
def test_metric_direction(name, direction):
    assert metric_direction(name) == direction


def test_every_metric_of_the_table_has_a_direction_and_unique_names():
    table = metric_table()
    assert {t.direction for t in table.terms.values()} <= {"higher", "lower", "unknown"}
    assert len(table.terms) > 60


@pytest.mark.parametrize("value,unit,expected", [
    (295, "M FLOPs", (0.295, "GFLOPs")), (4.1, "G FLOPs", (4.1, "GFLOPs")),
    (1.2, "G params", (1200.0, "M params")), (350, "K params", (0.35, "M params")),
    (0.5, "s", (500.0, "ms")), (87.8, "%", (87.8, "%")), (2.4, "x", (2.4, "x")),
])
def test_units_are_scaled(value, unit, expected):
    assert normalise_quantity(value, unit) == expected


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    for name in ("sentencizer", "kg_candidates", "kg_proposed", "kg_results"):
        nlp.add_pipe(name)
    return nlp


def typed(doc):
    return [(doc.text[r.start_char:r.end_char], r.value, r.unit, r.kind, r.setting,
             r.baseline.text if r.baseline is not None else None) for r in doc._.kg_results]


@pytest.mark.parametrize("text,terms,expected", [
    ("GridNet achieves 88.0% ImageNet top-1 accuracy.", (),
     [("88.0%", 88.0, "%", "absolute", None, None)]),
    ("GridNet improves box AP by +1.3% over KiteDet on COCO test-dev.",
     (("GridNet", "METHOD"), ("KiteDet", "METHOD"), ("COCO", "DATASET")),
     [("+1.3%", 1.3, "%", "relative", "test-dev", "KiteDet")]),
    ("GridNet is 2.4x faster than KiteDet.", (("GridNet", "METHOD"), ("KiteDet", "METHOD")),
     [("2.4x", 2.4, "x", "relative", None, "KiteDet")]),
    ("GridNet outperforms KiteDet by up to 25% in accuracy.",
     (("GridNet", "METHOD"), ("KiteDet", "METHOD")),
     [("25%", 25.0, "%", "relative", None, "KiteDet")]),
    ("GridNet reaches 1.5% higher accuracy than KiteDet.",
     (("GridNet", "METHOD"), ("KiteDet", "METHOD")),
     [("1.5%", 1.5, "%", "relative", None, "KiteDet")]),
    ("GridNet improves mIoU by 3.1 points on ADE20K.", (),
     [("3.1 points", 3.1, "points", "relative", None, None)]),
    ("GridNet reaches an FID of 2.05 at 256x256 on ImageNet.", (),
     [("2.05", 2.05, None, "absolute", "256x256", None)]),
    ("In the zero-shot setting, GridNet obtains 76.2% top-1 accuracy on ImageNet.", (),
     [("76.2%", 76.2, "%", "absolute", "zero-shot", None)]),
    ("GridNet has 25.6M parameters and 4.1G FLOPs.", (),
     [("25.6M parameters", 25.6, "M params", "absolute", None, None),
      ("4.1G FLOPs", 4.1, "GFLOPs", "absolute", None, None)]),
    ("GridNet needs 295M FLOPs and runs at 12 ms latency.", (),
     [("295M FLOPs", 0.295, "GFLOPs", "absolute", None, None),
      ("12 ms", 12.0, "ms", "absolute", None, None)]),
    ("GridNet obtains 41.2 BLEU on WMT14 English-German.", (),
     [("41.2 BLEU", 41.2, None, "absolute", None, None)]),
    ("GridNet reaches 52.1 mIoU on the ADE20K validation set.", (),
     [("52.1 mIoU", 52.1, None, "absolute", "val", None)]),
])
def test_results_are_typed(nlp, text, terms, expected):
    assert typed(run_components(nlp, text, terms=terms)) == expected


# -- leaderboards on a corpus written for the test ------------------------------------------

ABSTRACTS = [
    ("GridNet: Large Kernels for Image Classification",
     "We propose GridNet, a convolutional network for image classification. GridNet achieves "
     "88.0% ImageNet accuracy and is 2.4x faster than KiteNet."),
    ("KiteNet: A ConvNet for the 2020s",
     "We propose KiteNet, a convolutional network for image classification. KiteNet reaches "
     "87.8% ImageNet top-1 accuracy, a +1.3% gain over earlier networks."),
    ("SlabFormer: Shifted Windows for Image Classification",
     "We propose SlabFormer, a vision transformer for image classification. SlabFormer "
     "obtains 83.6% top-1 accuracy on ImageNet."),
    ("Stride: Faster Language Models",
     "We propose Stride, a recurrent language model for language modeling. Stride reaches a "
     "perplexity of 52.1 on Penn Treebank."),
    ("Helix: Memory for Language Models",
     "We propose Helix, a memory network for language modeling. Helix reaches a perplexity of "
     "16.4 on Penn Treebank."),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("leaderboard")
    papers = [Paper(id=f"test:{i}", title=title, abstract=abstract, year=2020 + i)
              for i, (title, abstract) in enumerate(ABSTRACTS)]
    graph = build_graph(extract_records(papers, model="auto"))
    return graph, write_turtle(graph, directory / "graph.ttl"), directory


def test_top1_on_imagenet_ranks_the_best_first_and_never_a_relative_claim(corpus):
    _, turtle, _ = corpus
    boards = leaderboards(turtle, dataset="ImageNet", metric="top-1")
    assert boards and all(board.metric == "top-1 accuracy" for board in boards)
    entries = [entry for board in boards for entry in board.entries]
    assert [(e.method, e.value) for e in boards[0].entries][:2] == [("GridNet", 88.0),
                                                                     ("KiteNet", 87.8)]
    assert {e.value for e in entries} <= {88.0, 87.8, 83.6}  # no 2.4x, no +1.3%
    everything = [e for board in leaderboards(turtle) for e in board.entries]
    assert not {e.unit for e in everything} & {"x", "points"}
    assert 2.4 not in {e.value for e in everything} and 1.3 not in {e.value for e in everything}


def test_a_lower_is_better_metric_ranks_ascending(corpus):
    _, turtle, _ = corpus
    (board,) = [b for b in leaderboards(turtle, metric="perplexity") if b.task]
    assert board.direction == "lower"
    assert [(e.rank, e.method, e.value) for e in board.entries] == [
        (1, "Helix", 16.4), (2, "Stride", 52.1)]


def test_best_result_ranks_by_direction(corpus):
    from kg.query import load_query, run_query

    _, turtle, _ = corpus
    result = run_query(turtle, load_query("best-result"), params={"metric": "perplexity"})
    rows = [dict(zip(result.columns, row)) for row in result.rows]
    assert [(row["methodName"], row["value"]) for row in rows] == [("Helix", "16.4")]


@pytest.mark.parametrize("dataset,metric", [("ImageNet", "top-1 accuracy"),
                                            ("penn treebank", "Perplexity"),
                                            ("No Such Set", "top-1 accuracy")])
def test_the_cypher_leaderboard_answers_as_the_sparql_one(corpus, tmp_path, dataset, metric):
    graph, turtle, _ = corpus
    connection = load_into_ladybug(write_neo4j(graph, tmp_path / "neo4j"), tmp_path / "db")
    rows = cypher(connection, (QUERIES / "leaderboard.cypher").read_text(),
                  dataset=dataset, metric=metric)
    boards = leaderboards(turtle, dataset=dataset, metric=metric)
    expected = [(board.task, board.dataset, board.metric, board.direction, e.method, e.value)
                for board in boards for e in board.entries]
    assert [row[:6] for row in rows] == expected
    assert bool(rows) == (dataset != "No Such Set")


def test_the_cli_reads_a_build_directory_and_a_turtle_file_alike(corpus):
    _, turtle, directory = corpus
    runner = CliRunner()
    outputs = {}
    for fmt in ("table", "csv", "json", "md"):
        from_dir = runner.invoke(cli, ["leaderboard", str(directory), "--metric", "perplexity",
                                       "--output", fmt])
        from_file = runner.invoke(cli, ["leaderboard", str(turtle), "--metric", "perplexity",
                                        "--output", fmt])
        assert from_dir.exit_code == 0 and from_dir.output == from_file.output
        outputs[fmt] = from_dir.output
    boards = json.loads(outputs["json"])
    assert boards[0]["direction"] == "lower" and boards[0]["entries"][0]["method"] == "Helix"
    assert "Helix" in outputs["md"] and outputs["csv"].startswith("task,dataset,metric")
    missing = runner.invoke(cli, ["leaderboard", str(directory / "nothing")])
    assert missing.exit_code != 0 and "nothing" in missing.output


def test_the_readme_leaderboard_is_what_the_command_prints(tmp_path):
    text = README.read_text(encoding="utf-8")
    match = re.search(r"`(kg leaderboard outputs/ [^`]+)` prints:\n\n```\n(.*?)\n```", text, re.S)
    assert match, "README: no leaderboard example"
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--sample", "-o", str(tmp_path), "-q",
                               "--formats", "ttl"]).exit_code == 0
    arguments = shlex.split(match.group(1))[2:]
    arguments[0] = str(tmp_path)
    result = runner.invoke(cli, ["leaderboard", *arguments])
    assert result.exit_code == 0 and result.output.strip() == match.group(2).strip()


def test_differences_written_with_a_score_never_rank(tmp_path):
    papers = [Paper(id="test:tab", year=2021, title="TabGrid: Table Pretraining for Question Answering",
                    abstract="We propose TabGrid, a table model for question answering. TabGrid "
                             "improves the WikiSQL denotation accuracy to 89.5% (+2.3%) and gives "
                             "a 0.62% F1 score improvement on NER. It converges with 14 times "
                             "fewer training steps.")]
    turtle = write_turtle(build_graph(extract_records(papers, model="auto")), tmp_path / "g.ttl")
    entries = {(board.dataset, board.metric, e.method, e.value)
               for board in leaderboards(turtle) for e in board.entries}  # one board per task
    assert entries == {("WikiSQL", "denotation accuracy", "TabGrid", 89.5)}
