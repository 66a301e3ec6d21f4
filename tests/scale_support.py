"""Shared by the scale tests: small corpora cut from the bundled sample and output comparison."""
from __future__ import annotations

from pathlib import Path

from kg.build import BuildSummary, build
from kg.sample import SAMPLE_PATH

# Every output whose bytes must not depend on the engine (JSON-LD goes through rdflib).
FORMATS = ("ttl", "nt", "html", "report", "gexf", "graphml", "neo4j")


def sample_lines() -> list[str]:
    """The sample corpus, one JSON paper a line."""
    return SAMPLE_PATH.read_text(encoding="utf-8").splitlines(keepends=True)


def write_corpus(path: Path, lines: list[str]) -> Path:
    """A JSON Lines corpus of ``lines`` at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")
    return path


def build_rules(inputs: list[Path], out: Path, **options: object) -> BuildSummary:
    """A build with the rule components only (no trained model), as the tests run it."""
    return build(inputs, out, model=None, **{"formats": FORMATS, **options})


def output_bytes(out: Path) -> dict[str, bytes]:
    """Relative path -> bytes of every output of a build, its store left out."""
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and "store" not in path.relative_to(out).parts
    }
