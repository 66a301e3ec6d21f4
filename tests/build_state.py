"""What a build directory holds, to tell one complete build from a mix (shared by the
transaction and kill tests)."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pyoxigraph

from scale_support import FORMATS as SCALE_FORMATS

# The outputs of the scale tests (every one but JSON-LD), as the CLI's --formats value.
FORMATS = ",".join(SCALE_FORMATS)


def build_state(out: Path) -> dict[str, object]:
    """The digest of every output file, the store's paper ids and its RDF triple count;
    raises AssertionError when the parts do not belong to one build."""
    files = {
        str(path.relative_to(out)): hashlib.sha1(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(out).parts)
        and "store" not in path.relative_to(out).parts
    }
    with sqlite3.connect(f"file:{out / 'store' / 'kg.sqlite'}?mode=ro", uri=True) as database:
        stored = [row[0] for row in database.execute("SELECT id FROM papers ORDER BY seq")]
    records = [json.loads(line)["id"]
               for line in (out / "papers.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records == stored, "papers.jsonl and the store hold different papers"
    triples = len(pyoxigraph.Store.read_only(str(out / "store" / "rdf")))
    if (out / "graph.nt").is_file():
        lines = (out / "graph.nt").read_text(encoding="utf-8").count("\n")
        assert triples == lines, "the RDF store and graph.nt hold different triples"
    return {"files": files, "papers": stored, "triples": triples}
