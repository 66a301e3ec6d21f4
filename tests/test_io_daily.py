"""The daily-papers reader on the two seed dumps and on broken structures."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.io import ReadStats, read_papers

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
SEED_A = SEEDS / "000_531056e1d8b5ffa6.txt"
SEED_B = SEEDS / "002_ebb16ed53ebaf4f7.txt"

# (seed, index, line, title, abstract start, abstract end)
SPOT_CHECKS = [
    (
        SEED_A, 0, 13,
        "Connecting Large Language Models with Evolutionary Algorithms Yields Powerful Prompt Optimizers",
        "Large Language Models (LLMs) excel in various tasks, but",
        "could inspire further research on the combination of LLMs and conventional algorithms.",
    ),
    (
        SEED_A, 6, 37,
        "FBNet: Hardware-Aware Efficient ConvNet Design via Differentiable Neural Architecture Search",
        "Designing accurate and efficient ConvNets for mobile devices is challenging",
        "the iPhone-X-optimized model achieves a 1.4x speedup on an iPhone X.",
    ),
    (
        SEED_A, 25, 113,
        "Visual Genome: Connecting Language and Vision Using Crowdsourced Dense Image Annotations",
        "Despite progress in perceptual tasks such as image classification, computers still",
        "objects, attributes, relationships, and question answers.",
    ),
    (
        SEED_B, 0, 11,
        "A Neural Space-Time Representation for Text-to-Image Personalization",
        "A key aspect of text-to-image personalization methods is the manner",
        "without fine-tuning any parameters of the generative model itself.",
    ),
    (
        SEED_B, 30, 131,
        "Bigram Subnetworks: Mapping to Next Tokens in Transformer Language Models",
        "In Transformer language models, activation vectors transform from current token",
        "traditional approach of ablating circuits from a full model.",
    ),
    (
        SEED_B, 60, 251,
        "Knowledge Composition using Task Vectors with Learned Anisotropic Scaling",
        "Pre-trained models produce strong generic representations that can be adapted via fine-tuning.",
        "particularly with less data, and demonstrate that its scalibility.",
    ),
]

HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\nAug 12\n\n"
ABSTRACT = "We propose a method. It works well on two benchmarks."


def _seed(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared seeds not available at {path}")
    return path


@pytest.mark.parametrize(("seed", "count", "date"), [(SEED_A, 26, "Aug 12"), (SEED_B, 61, "Jun 6")])
def test_seed_yields_every_paper(seed, count, date):
    papers = list(read_papers(_seed(seed)))
    assert len(papers) == count
    assert len({p.id for p in papers}) == count
    assert {p.date for p in papers} == {date}
    assert {p.source for p in papers} == {"daily"}
    # No page text leaks into titles and no paragraph is merged into another.
    assert not {p.title for p in papers} & {"new", "Subscribe", "Daily Papers", date}
    assert all("\n" not in p.title and len(p.title) < 200 for p in papers)
    assert all(len(p.abstract) > 1000 for p in papers)
    assert [p.source_line for p in papers] == [papers[0].source_line + 4 * i for i in range(count)]


@pytest.mark.parametrize(("seed", "index", "line", "title", "start", "end"), SPOT_CHECKS)
def test_seed_spot_checks(seed, index, line, title, start, end):
    paper = list(read_papers(_seed(seed), "daily"))[index]
    assert paper.title == title
    assert paper.abstract.startswith(start)
    assert paper.abstract.endswith(end)
    assert paper.source_line == line


def test_seed_text_is_read_unchanged():
    seed = _seed(SEED_B)
    lines = seed.read_text(encoding="utf-8").splitlines()
    for paper in read_papers(seed):
        assert lines[paper.source_line - 1] == paper.title
        assert lines[paper.source_line + 1] == paper.abstract


def test_date_sections_and_footer(tmp_path):
    path = tmp_path / "days.txt"
    path.write_text(
        HEADER + "First Title\n\n" + ABSTRACT + "\n\nAug 13, 2024\n\nSecond Title\n\n" + ABSTRACT
        + "\n\nDaily Papers\n\nThird Title\n\n" + ABSTRACT + "\n\nLoad more\n",
        encoding="utf-8",
    )
    papers = list(read_papers(path))
    assert [(p.title, p.date, p.year) for p in papers] == [
        ("First Title", "Aug 12", None),
        ("Second Title", "Aug 13, 2024", 2024),
        ("Third Title", "Aug 13, 2024", 2024),
    ]


@pytest.mark.parametrize(
    ("body", "line", "expected"),
    [
        ("Lonely Title\n", 11, "has no abstract: the file ends after it"),
        ("Lost Abstract\n\nNext Paper Title\n\n" + ABSTRACT + "\n", 11, "has no abstract: expected one at line 13"),
        ("Title Before A Date\n\nAug 14\n\nT\n\n" + ABSTRACT + "\n", 11, "found a date line"),
        (ABSTRACT * 8 + "\n\nT\n\n" + ABSTRACT + "\n", 11, "expected a title, found a paragraph of"),
        ("Two-line\ntitle\n\n" + ABSTRACT + "\n", 11, "expected a one-line title"),
        ("T\n\n" + ABSTRACT + "\n\nShort Title\n\nAnother Short Title\n", 15, "'Short Title' has no abstract"),
    ],
)
def test_broken_structure_names_file_and_line(tmp_path, body, line, expected):
    path = tmp_path / "broken.txt"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_papers(path))
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: ")
    assert expected in message


def test_skip_bad_recovers_after_a_lost_abstract(tmp_path):
    path = tmp_path / "lost.txt"
    path.write_text(HEADER + "Lost Abstract\n\nKept Title\n\n" + ABSTRACT + "\n", encoding="utf-8")
    stats = ReadStats()
    papers = list(read_papers(path, skip_bad=True, stats=stats))
    assert [(p.title, p.abstract, p.source_line) for p in papers] == [("Kept Title", ABSTRACT, 13)]
    assert (stats.records, stats.papers, stats.skipped) == (2, 1, 1)
    assert stats.problems[0].startswith(f"{path}:11: title 'Lost Abstract' has no abstract")
