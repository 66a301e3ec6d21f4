"""Records: round trips through dicts and JSON Lines, and the JSON Schema of papers.jsonl."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from graph_fixtures import small_records
from kg.errors import InputError
from kg.export.records import read_records, write_records
from kg.graph import GraphBuilder
from kg.normalize import normalize
from kg.records import Paper, PaperMentions, PaperRecord

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "papers.schema.json")
                    .read_text(encoding="utf-8"))


def _resolved_records() -> list[PaperRecord]:
    records = [normalize(pm) for pm in small_records()]
    builder = GraphBuilder()
    for record in records:
        builder.add(record)
    return [builder.resolve(r) for r in records]


@pytest.mark.parametrize("index", range(3))
def test_paper_mentions_round_trip(index: int) -> None:
    pm = small_records()[index]
    assert PaperMentions.from_dict(json.loads(json.dumps(pm.to_dict()))) == pm


@pytest.mark.parametrize("paper", [
    Paper("arxiv:2301.00001", "T", "A", ("Ada", "Bob"), 2023, "10.1/x", "2301.00001", "https://x", "2023-01-02",
          ("cs.CL",), "jsonl", "in.jsonl", 7),
    Paper("title:0123456789abcdef", "T", "A"),
], ids=["every-field", "defaults"])
def test_a_paper_dict_is_plain_json_with_every_field(paper: Paper) -> None:
    data = paper.to_dict()
    assert list(data) == [field for field in Paper.__dataclass_fields__]
    assert all(not isinstance(value, tuple) for value in data.values())
    assert json.loads(json.dumps(data)) == data
    assert Paper.from_dict(data) == paper


def test_records_file_round_trips(tmp_path: Path) -> None:
    records = _resolved_records()
    path = tmp_path / "papers.jsonl"
    assert write_records(records, path) == 3
    assert list(read_records(path)) == records


def test_every_record_is_valid_against_the_schema(tmp_path: Path) -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    path = tmp_path / "papers.jsonl"
    write_records(_resolved_records(), path)
    for line in path.read_text(encoding="utf-8").splitlines():
        errors = sorted(validator.iter_errors(json.loads(line)), key=str)
        assert not errors, errors[0].message


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda r: r.pop("title"), "title"),
        (lambda r: r["entities"][0].update(type="Person"), "type"),
        (lambda r: r["entities"][0].update(confidence=1.5), "confidence"),
        (lambda r: r["results"][0].update(value="84.1"), "value"),
        (lambda r: r["repositories"][0].update(url="https://github.com/a/b/tree/main"), "url"),
        (lambda r: r["entities"][0]["mentions"][0].update(field="body"), "field"),
    ],
)
def test_schema_rejects_broken_records(mutate, field: str) -> None:
    record = _resolved_records()[0].to_dict()
    mutate(record)
    assert not jsonschema.Draft202012Validator(SCHEMA).is_valid(record), field


def test_reading_a_broken_records_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    write_records(_resolved_records()[:1], path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    with pytest.raises(InputError, match=r"papers\.jsonl:2: not a kg paper record"):
        list(read_records(path))
