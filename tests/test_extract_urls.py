"""Tests of URL finding and normalisation (kg.normalize.urls) and the kg_urls component."""
from __future__ import annotations

import pytest
import spacy

from kg.extract.urls import link_spans
from kg.normalize.urls import find_urls, normalize_url
from seeds import SEED_OTHER_URLS, SEED_REPOSITORIES, SEEDS

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


@pytest.mark.parametrize(("text", "urls"), [
    ("TimeLMs is at https://github. com/cardiffnlp/timelms.", ["https://github. com/cardiffnlp/timelms"]),
    ("See https://a.org. Com/x is a word.", ["https://a.org"]),
])
def test_a_host_broken_after_its_dot_stays_one_url(text: str, urls: list[str]) -> None:
    assert [written for _, _, written in find_urls(text)] == urls
