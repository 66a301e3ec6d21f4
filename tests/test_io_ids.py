"""Paper ids: which identifier wins, version stripping, IRI safety of hostile values."""
from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.io import paper_id
from kg.io.ids import normalise_arxiv_id, title_key

SAFE_ID = re.compile(r"^[A-Za-z0-9._~:/%-]+$")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"arxiv_id": "2301.00001v2", "doi": "10.1/x", "source": "s2", "source_id": "abc"}, "arxiv:2301.00001"),
        ({"arxiv_id": "hep-th/9901001v3"}, "arxiv:hep-th/9901001"),
        ({"arxiv_id": "https://arxiv.org/abs/1706.03762v7"}, "arxiv:1706.03762"),
        ({"arxiv_id": "arXiv:1810.04805"}, "arxiv:1810.04805"),
        ({"arxiv_id": "  ", "doi": "10.1000/ABC(1)"}, "doi:10.1000/abc%281%29"),
        ({"doi": "https://doi.org/10.7717/PEERJ.4375"}, "doi:10.7717/peerj.4375"),
        ({"doi": "10.1002/(SICI)1097-4571<3::AID>"}, "doi:10.1002/%28sici%291097-4571%3C3::aid%3E"),
        ({"source": "openalex", "source_id": "W2741809807"}, "openalex:W2741809807"),
        ({"source": "jsonl", "source_id": "my id#1?x=<y>"}, "jsonl:my%20id%231%3Fx%3D%3Cy%3E"),
        ({"source": "jsonl", "source_id": "café"}, "jsonl:caf%C3%A9"),
        ({"source": "jsonl", "source_id": "100%"}, "jsonl:100%25"),
    ],
)
def test_paper_id_prefers_arxiv_then_doi_then_source(kwargs, expected):
    assert paper_id(**kwargs) == expected


def test_title_id_hashes_the_normalised_title():
    digest = hashlib.sha1(b"attention is all you need").hexdigest()[:16]
    assert paper_id(title="Attention Is All You Need") == f"title:{digest}"
    assert paper_id(title="  ATTENTION is all—you   need!! ") == f"title:{digest}"
    assert paper_id(title="Ｆｕｌｌwidth Title") == paper_id(title="fullwidth title")
    assert paper_id(title="A B") != paper_id(title="AB")


def test_title_key_keeps_non_ascii_letters():
    assert title_key("Über die Lösung_von  Gleichungen") == "über die lösung von gleichungen"


def test_normalise_arxiv_id_drops_pdf_suffix_and_version():
    assert normalise_arxiv_id("https://arxiv.org/pdf/2301.00001v1.pdf") == "2301.00001"


@given(
    arxiv_id=st.one_of(st.none(), st.text()),
    doi=st.one_of(st.none(), st.text()),
    source_id=st.one_of(st.none(), st.text()),
    title=st.text(),
)
def test_every_id_is_iri_safe(arxiv_id, doi, source_id, title):
    value = paper_id(arxiv_id=arxiv_id, doi=doi, source="jsonl", source_id=source_id, title=title)
    assert SAFE_ID.match(value)
    assert re.fullmatch(r"(arxiv|doi|jsonl|title):.*", value)
    # every % starts an escape, so ids never collide with percent-looking raw text
    assert all(re.match(r"%[0-9A-F]{2}", value[i:]) for i, c in enumerate(value) if c == "%")
