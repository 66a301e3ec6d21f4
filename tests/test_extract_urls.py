"""Tests of URL finding and normalisation (kg.normalize.urls) and the kg_urls component."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from kg.extract.urls import link_spans
from kg.normalize.urls import find_urls, normalize_url

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

SEED_REPOSITORIES = {
    "https://github.com/AILab-CVC/UniRepLKNet",
    "https://github.com/D-X-Y/NAS-Projects",
    "https://github.com/Labbeti/conette-audio-captioning",
    "https://github.com/Raincleared-Song/ConPET",
    "https://github.com/TamashaM/NAPA-VQ",
    "https://github.com/WooSunghyeon/paca",
    "https://github.com/cambridge-mlg/RECOMBINER",
    "https://github.com/changlin31/BossNAS",
    "https://github.com/dyballa/dynamic-connectomes",
    "https://github.com/edwardjhu/TP4",
    "https://github.com/ibm/tsfm",
    "https://github.com/megvii-research/AAAI2023-PVD",
    "https://github.com/mindspore-lab/models",
    "https://github.com/okojoalg/raft-mlp",
    "https://github.com/qiuqiangkong/audioset_tagging_cnn",
    "https://github.com/researchmm/NEAS",
    "https://github.com/sail-sg/poolformer",
    "https://github.com/salesforce/CodeGen2",
    "https://github.com/shallowdream204/DiCo",
    "https://github.com/xinghaochen/SLAB",
    "https://github.com/yuhuixu1993/PC-DARTS",
    "https://github.com/zeyuliu1037/LMUFormer",
}
SEED_OTHER_URLS = {
    "https://cassiepython.github.io/clipnerf/",
    "https://div-lab.github.io/dendromap/",
    "https://huggingface.co/docs/transformers/main/en/model_doc/patchtsmixer",
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://github.com/Owner/Repo", ("https://github.com/Owner/Repo", True)),
        ("https://www.GitHub.com/Owner/Repo.git", ("https://github.com/Owner/Repo", True)),
        ("http://github.com/a/b/tree/main/src", ("https://github.com/a/b", True)),
        ("https://github.com/a/b/blob/main/x.py#L3", ("https://github.com/a/b", True)),
        ("https://github.com/a/b?tab=readme", ("https://github.com/a/b", True)),
        ("https://github.com/a/b/#notes", ("https://github.com/a/b", True)),
        ("https://github.com/a/b/", ("https://github.com/a/b", True)),
        ("github.com/a/b.", ("https://github.com/a/b", True)),
        ("https://gitlab.com/grp/proj/-/tree/dev", ("https://gitlab.com/grp/proj", True)),
        ("https://bitbucket.org/team/tool/src/master/", ("https://bitbucket.org/team/tool", True)),
        ("https://huggingface.co/meta-llama/Llama-2-7b", ("https://huggingface.co/meta-llama/Llama-2-7b", True)),
        ("https://huggingface.co/datasets/openai/gsm8k/viewer",
         ("https://huggingface.co/datasets/openai/gsm8k", True)),
        ("https://huggingface.co/docs/transformers/index", ("https://huggingface.co/docs/transformers/index", False)),
        ("https://huggingface.co/spaces/a/demo", ("https://huggingface.co/spaces/a/demo", False)),
        ("https://huggingface.co/papers/2301.00001", ("https://huggingface.co/papers/2301.00001", False)),
        ("https://github.com/topics/nlp", ("https://github.com/topics/nlp", False)),
        ("https://github.com/someone", ("https://github.com/someone", False)),
        ("HTTPS://Div-Lab.GitHub.io/DendroMap/.", ("https://div-lab.github.io/DendroMap/", False)),
        ("https://example.org/Page?q=1", ("https://example.org/Page?q=1", False)),
    ],
)
def test_normalize_url(raw: str, expected: tuple[str, bool]) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code: https://github.com/a/b.", ["https://github.com/a/b"]),
        ("(code at https://github.com/a/b)", ["https://github.com/a/b"]),
        ("see https://en.wikipedia.org/wiki/Foo_(bar).", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("at \"https://x.org/p\", and 'https://y.org/q';", ["https://x.org/p", "https://y.org/q"]),
        ("repos github.com/a/b, gitlab.com/c/d: done", ["github.com/a/b", "gitlab.com/c/d"]),
        ("mail me at x@github.com/a or see notgithub.com/a/b", []),
        ("no urls here, just github.com and https://", []),
    ],
)
def test_find_urls(text: str, expected: list[str]) -> None:
    found = find_urls(text)
    assert [written for _, _, written in found] == expected
    assert all(text[start:end] == written for start, end, written in found)


def test_seed_urls_exact() -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not available")
    links = [link for path in sorted(SEEDS.glob("*.txt")) for link in link_spans(path.read_text())]
    assert {link.url for link in links if link.repository} == SEED_REPOSITORIES
    assert {link.url for link in links if not link.repository} == SEED_OTHER_URLS


def test_component_writes_links_and_keeps_url_one_token() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_urls")
    doc = nlp("Code is at https://github.com/a/b-c/tree/main. Thanks.")
    [link] = doc._.kg_links
    assert (link.url, link.repository) == ("https://github.com/a/b-c", True)
    assert doc.text[link.start_char:link.end_char] == "https://github.com/a/b-c/tree/main"
    assert [t.text for t in doc][3:5] == ["https://github.com/a/b-c/tree/main", "."]
