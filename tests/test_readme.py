"""Every command example of the README prints what the README shows (``tests/readme_examples.py``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from readme_examples import ELLIPSIS, README, Command, examples, expected, prepare, refreshed, run

EXAMPLES = examples(README.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepare(tmp_path_factory.mktemp("readme"))


def test_the_readme_has_its_examples() -> None:
    commands = [command.command for example in EXAMPLES for command in example.commands]
    assert "kg build mine.jsonl -o out" in commands and "kg query my-query.rq outputs/graph.ttl" in commands
    assert sum(command.startswith("kg query ") for command in commands) >= 4


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.commands[-1].command)
def test_each_readme_example_prints_what_the_readme_shows(work: Path, example) -> None:
    for command in example.commands:
        assert "\n".join(command.shown) == "\n".join(expected(command, run(command.command, work))), (
            f"README example `$ {command.command}` is stale: run scripts/readme_examples")


def test_examples_are_read_and_refreshed_with_their_shown_length(tmp_path: Path) -> None:
    text = ("Intro\n\n```\n$ printf 'a\\nb\\nc\\n'\nold\nold\n...\n$ echo hi >&2\n```\n\n"
            "```sparql\nSELECT * WHERE { ?s ?p ?o }\n```\n\n```\nnot an example\n```\n")
    [example] = examples(text)
    assert example.commands == (Command("printf 'a\\nb\\nc\\n'", ("old", "old", ELLIPSIS)),
                                Command("echo hi >&2", ()))
    assert example.commands[0].partial and not example.commands[1].partial
    assert refreshed(text, tmp_path) == text.replace("old\nold\n...\n$ echo hi >&2\n",
                                                     "a\nb\n...\n$ echo hi >&2\nhi\n")
    assert expected(Command("x", ("1", ELLIPSIS)), ["only"]) == ("only",)


# -- the demo (scripts/demo): a fresh clone stays clean ---------------------------------------

ROOT = README.parent
COMMITTED = ROOT / "outputs"


def _files(directory: Path) -> set[str]:
    return {str(path.relative_to(directory)) for path in directory.rglob("*")
            if path.is_file() and "store" not in path.relative_to(directory).parts}


def test_the_demo_outputs_hold_no_local_path(work: Path) -> None:
    outputs = work / "outputs"
    for name in sorted(_files(outputs)):
        text = (outputs / name).read_text(encoding="utf-8")
        for local in (str(work), str(ROOT), str(Path.home())):
            assert local not in text, f"{name} holds the local path {local}"


def test_the_demo_rewrites_the_committed_outputs(work: Path) -> None:
    """What scripts/demo writes is what outputs/ holds (`.ci/run` also checks that `git status`
    stays empty): the same files, records and triples; the screenshots are scripts/screenshot's."""
    import json

    import pyoxigraph as ox

    outputs = work / "outputs"
    assert _files(outputs) == _files(COMMITTED) - {"graph.png", "report.png"}

    def records(directory: Path) -> list[dict]:
        return [json.loads(line) for line in (directory / "papers.jsonl").read_text(encoding="utf-8").splitlines()]

    def triples(directory: Path) -> set[ox.Triple]:
        return {quad.triple for quad in ox.parse(path=str(directory / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)}

    assert records(outputs) == records(COMMITTED), "outputs/ is stale: run scripts/demo and commit it"
    assert triples(outputs) == triples(COMMITTED), "outputs/ is stale: run scripts/demo and commit it"
