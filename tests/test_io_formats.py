"""Every reader on its fixture: the papers read, the bad record reported at the right line."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.io import ReadStats, read_papers

DATA = Path(__file__).parent / "data" / "io"

SMORE_ABSTRACT = (
    "We study retrieval-augmented generation when the evidence is spread over very long "
    "documents. We propose SMoRE, a sparse mixture of retrieval experts."
)

# file -> (format, [(id, line, title, abstract, authors, year, doi, arxiv_id)], bad lines)
CASES = {
    "daily.txt": (
        "daily",
        [
            (
                "title:1244ccb5a3bc4583",
                13,
                "Sparse Mixtures of Retrieval Experts for Long-Context Question Answering",
                "We study retrieval-augmented generation when the evidence is spread over very long "
                "documents. We propose SMoRE, a sparse mixture of retrieval experts that routes each "
                "query to a few specialised retrievers. On NaturalQuestions and TriviaQA, SMoRE "
                "improves exact match by 3.1 points over a dense retriever baseline while halving "
                "the retrieval latency. Code is available at https://github.com/example/smore.",
                (), None, None, None,
            ),
            (
                "title:f21dd24d8bdb3114",
                19,
                "Graph Transformers Without Positional Encodings?",
                "Positional encodings are widely believed to be essential for graph transformers. "
                "We show that a simple structural attention bias recovers most of their benefit. "
                "Our model, GTNoPE, matches GraphGPS on ZINC (MAE 0.070) and outperforms it on "
                "ogbg-molhiv with 80.1% ROC-AUC.",
                (), None, None, None,
            ),
            (
                "title:ca09a2cabb83c4bb",
                25,
                "Wrapped Abstracts Are Joined: A Note on Text Dumps",
                "This abstract was wrapped over several lines by the program that wrote the dump, "
                "and the reader joins them with single spaces.",
                (), None, None, None,
            ),
        ],
        [17],
    ),
    "papers.jsonl": (
        "jsonl",
        [
            (
                "jsonl:smore-2024", 1, "Sparse Mixtures of Retrieval Experts",
                "We propose SMoRE, a sparse mixture of retrieval experts.",
                ("Ada Lovelace", "Alan Turing"), 2024, None, None,
            ),
            (
                "arxiv:1706.03762", 2, "Attention Is All You Need",
                "We propose the Transformer, a model based solely on attention.",
                ("Ashish Vaswani", "Noam Shazeer"), 2017, None, "1706.03762",
            ),
            (
                "doi:10.1109/cvpr.2016.90", 5, "Deep Residual Learning for Image Recognition",
                "Residual networks ease the training of very deep networks.",
                ("Kaiming He", "Xiangyu Zhang"), None, "10.1109/CVPR.2016.90", None,
            ),
        ],
        [4, 6],
    ),
    "papers.json": (
        "json",
        [
            (
                "json:17", 1, "Graph Transformers Without Positional Encodings?",
                "We show that a structural attention bias recovers most of the benefit of "
                "positional encodings.",
                ("Grace Hopper",), 2023, None, None,
            ),
            (
                "arxiv:1810.04805", 3,
                "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
                "We introduce BERT, a bidirectional encoder pre-trained with masked language "
                "modelling.",
                (), None, "10.18653/v1/N19-1423", "1810.04805",
            ),
        ],
        [2],
    ),
    "papers.csv": (
        "csv",
        [
            (
                "csv:c1", 2, "Sparse Mixtures of Retrieval Experts",
                'We propose SMoRE, a "sparse" mixture of retrieval experts.',
                ("Ada Lovelace", "Alan Turing"), 2024, None, None,
            ),
            (
                "doi:10.1109/cvpr.2016.90", 3, "Deep Residual Learning for Image Recognition",
                "Residual networks ease the training of very deep networks.",
                ("Kaiming He",), 2016, "10.1109/CVPR.2016.90", None,
            ),
            (
                "csv:c4", 7, "Graph Transformers, Revisited",
                "Structural attention biases replace positional encodings.",
                (), None, None, None,
            ),
        ],
        [6],
    ),
    "papers.tsv": (
        "tsv",
        [
            (
                "arxiv:1706.03762", 2, "Attention Is All You Need",
                "We propose the Transformer, a model based solely on attention.",
                ("Ashish Vaswani", "Noam Shazeer"), 2017, None, "1706.03762",
            ),
            (
                "title:0d0c59349f185438", 4, "Wrapped Abstracts Are Joined",
                "A tab-separated record without optional fields.",
                (), None, None, None,
            ),
        ],
        [3],
    ),
    "arxiv-snapshot.jsonl": (
        "arxiv-snapshot",
        [
            (
                "arxiv:2310.01234", 1,
                "Sparse Mixtures of Retrieval Experts for Long-Context Question Answering",
                SMORE_ABSTRACT,
                ("Ada Lovelace", "Alan Turing", "Grace Hopper"), 2023, None, "2310.01234",
            ),
            (
                "arxiv:hep-th/9901001", 2, "Symmetries of a Toy String Model",
                "We revisit the symmetries of a toy string model and find two new conserved currents.",
                ("P. Dirac", "E. Noether"), 1999, "10.1000/PTL.1999.001", "hep-th/9901001",
            ),
            (
                "arxiv:2402.00003", 4, "Graph Transformers Without Positional Encodings?",
                "Structural attention biases recover most of the benefit of positional encodings.",
                ("A. Smith", "B. Jones", "C. Wu"), None, "10.48550/arXiv.2402.00003", "2402.00003",
            ),
        ],
        [3],
    ),
    "arxiv-atom.xml": (
        "arxiv-atom",
        [
            (
                "arxiv:2310.01234", 1,
                "Sparse Mixtures of Retrieval Experts for Long-Context Question Answering",
                "We study retrieval-augmented generation when the evidence is spread over very long "
                "documents. We propose SMoRE & show it helps.",
                ("Ada Lovelace", "Alan Turing"), 2023, "10.1000/SMoRE.2023", "2310.01234",
            ),
            (
                "arxiv:hep-th/9901001", 2, "Symmetries of a Toy String Model",
                "We revisit the symmetries of a toy string model.",
                ("P. Dirac",), 1999, None, "hep-th/9901001",
            ),
        ],
        [3],
    ),
    "openalex.json": (
        "openalex",
        [
            (
                "doi:10.7717/peerj.4375", 1, "The state of OA: a large-scale analysis",
                "Open access is growing; we measure access at scale.",
                ("Heather Piwowar", "Jason Priem"), 2018, "10.7717/PEERJ.4375", None,
            ),
            (
                "arxiv:2101.00002", 2, "A work known only by its display name", "Short abstract.",
                (), 2021, None, "2101.00002",
            ),
        ],
        [3],
    ),
    "s2.json": (
        "s2",
        [
            (
                "arxiv:1706.03762", 1, "Attention is All you Need",
                "We propose the Transformer, a model based solely on attention.",
                ("Ashish Vaswani", "Noam M. Shazeer"), 2017, None, "1706.03762",
            ),
            (
                "s2:0123456789abcdef0123456789abcdef01234567", 3,
                "Graph Transformers Without Positional Encodings?",
                "Structural attention biases recover most of the benefit of positional encodings.",
                ("Grace Hopper",), None, None, None,
            ),
        ],
        [2],
    ),
}
FIXTURES = sorted(CASES)


def _summary(paper):
    return (
        paper.id, paper.source_line, paper.title, paper.abstract, paper.authors,
        paper.year, paper.doi, paper.arxiv_id,
    )


@pytest.mark.parametrize("name", FIXTURES)
def test_reader_yields_the_good_records_and_skips_the_bad(name):
    format_name, expected, bad_lines = CASES[name]
    path = str(DATA / name)
    stats = ReadStats()
    papers = list(read_papers(path, format_name, skip_bad=True, stats=stats))
    assert [_summary(p) for p in papers] == expected
    assert {p.source for p in papers} == {format_name}
    assert {p.source_file for p in papers} == {name}
    assert (stats.files, stats.papers, stats.skipped) == (1, len(expected), len(bad_lines))
    assert stats.records == len(expected) + len(bad_lines)
    assert [problem.split(":")[1] for problem in stats.problems] == [str(n) for n in bad_lines]
    assert all(problem.startswith(f"{path}:") for problem in stats.problems)


@pytest.mark.parametrize("name", FIXTURES)
def test_strict_reading_stops_at_the_first_bad_record(name):
    format_name, _, bad_lines = CASES[name]
    path = str(DATA / name)
    with pytest.raises(InputError) as caught:
        list(read_papers(path, format_name))
    assert caught.value.path == path
    assert caught.value.line == bad_lines[0]
    assert str(caught.value).startswith(f"{path}:{bad_lines[0]}: ")


@pytest.mark.parametrize("name", FIXTURES)
def test_reading_is_lazy_up_to_the_bad_record(name):
    format_name, expected, _ = CASES[name]
    papers = read_papers(DATA / name, format_name)
    first = next(papers)
    assert first.title == expected[0][2]


def test_metadata_beyond_the_common_fields():
    atom = next(read_papers(DATA / "arxiv-atom.xml"))
    assert atom.categories == ("cs.CL", "cs.IR")
    assert atom.date == "2023-10-02T17:59:59Z"
    assert atom.url == "http://arxiv.org/abs/2310.01234v2"
    snapshot = next(read_papers(DATA / "arxiv-snapshot.jsonl"))
    assert snapshot.categories == ("cs.CL", "cs.IR")
    assert snapshot.date == "2024-01-10"
    assert snapshot.url == "https://arxiv.org/abs/2310.01234"
    work = next(read_papers(DATA / "openalex.json"))
    assert (work.url, work.date) == ("https://doi.org/10.7717/peerj.4375", "2018-02-13")
    daily = [p.date for p in read_papers(DATA / "daily.txt", skip_bad=True)]
    assert daily == ["Aug 12", "Aug 12", "Aug 13"]
