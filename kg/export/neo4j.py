"""Write the graph as Neo4j import files: CSVs, an ``import.sh`` and a ``load.cypher``.

Format
------
``<directory>/neo4j/`` holds one ``nodes_<Label>.csv`` per node type and one
``rels_<TYPE>.csv`` per relation, in the header format of ``neo4j-admin database import``
(https://neo4j.com/docs/operations-manual/current/import/): ``id:ID(<Label>)``, ``:LABEL``,
typed properties (``year:int``, ``value:float``, ``aliases:string[]``), and
``:START_ID(<Label>)``, ``:END_ID(<Label>)``, ``:TYPE`` with the evidence of each
relationship.  Every text is quoted (``"`` doubled inside); an empty unquoted field is a
missing value.  Arrays are joined with ``;``; a ``;`` inside an array element becomes the
full-width ``；`` (U+FF1B), since the import tool has no escape for the array delimiter.

``import.sh`` runs ``neo4j-admin database import full`` into a new database; ``load.cypher``
merges the same files into an existing database with ``LOAD CSV``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.graph import schema

__all__ = [
    "ARRAY_DELIMITER",
    "NODE_PROPERTIES",
    "RELATIONSHIP_PROPERTIES",
    "node_file",
    "relationship_file",
    "relationship_type",
    "write_neo4j",
]

ARRAY_DELIMITER = ";"
_ENTITY_PROPERTIES = (("name", "string"), ("aliases", "string[]"), ("papers", "int"))
# label -> (property, import type) after the id and label columns, in column order.
NODE_PROPERTIES: dict[str, tuple[tuple[str, str], ...]] = {
    schema.PAPER: (
        ("name", "string"), ("title", "string"), ("abstract", "string"), ("authors", "string[]"),
        ("year", "int"), ("date", "string"), ("doi", "string"), ("arxiv_id", "string"),
        ("url", "string"), ("source", "string"), ("source_file", "string"), ("source_line", "int"),
    ),
    **{label: _ENTITY_PROPERTIES for label in schema.ENTITY_NODE_TYPES},
    schema.METRIC: (*_ENTITY_PROPERTIES, ("direction", "string")),
    schema.REPOSITORY: (("name", "string"), ("url", "string"), ("host", "string"), ("papers", "int")),
    schema.RESULT: (
        ("name", "string"), ("value", "float"), ("unit", "string"), ("text", "string"),
        ("paper", "string"), ("method", "string"), ("dataset", "string"), ("metric", "string"),
        ("kind", "string"), ("setting", "string"), ("baseline", "string"),
    ),
}
# Properties of every relationship: its confidence and its primary evidence.
RELATIONSHIP_PROPERTIES: tuple[tuple[str, str], ...] = (
    ("confidence", "float"), ("extractor", "string"), ("text", "string"), ("sentence", "string"),
    ("field", "string"), ("start", "int"), ("end", "int"), ("evidence_count", "int"),
)
_CYPHER_TYPES = {"string": "{}", "int": "toInteger({})", "float": "toFloat({})",
                 "string[]": "split({}, '" + ARRAY_DELIMITER + "')"}


@dataclass(frozen=True)
class _Column:
    """One CSV column: its header cell and the property it loads (None for id/label/type)."""

    header: str
    name: str | None = None
    kind: str = "string"


def write_neo4j(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write the import directory ``path`` (CSVs, ``import.sh``, ``load.cypher``); return it.

    >>> write_neo4j(graph, "outputs/neo4j")   # doctest: +SKIP
    PosixPath('outputs/neo4j')
    """
    target = Path(path)
    target.mkdir(parents=True, exist_ok=True)
    for label in schema.NODE_TYPES:
        columns = _node_columns(label)
        rows = [
            [node, label, *(data.get(name) for name, _ in NODE_PROPERTIES[label])]
            for node, data in sorted(graph.nodes(data=True)) if data["type"] == label
        ]
        _write_csv(target / node_file(label), columns, rows)
    for relation, (source_label, target_label) in schema.RELATIONS.items():
        rows = [
            [source, target, relationship_type(relation), *_relationship_values(data)]
            for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1]))
            if data["relation"] == relation
        ]
        _write_csv(target / relationship_file(relation),
                   _relationship_columns(source_label, target_label), rows)
    script = target / "import.sh"
    script.write_text(_import_script(), encoding="utf-8")
    script.chmod(0o755)
    (target / "load.cypher").write_text(_load_cypher(), encoding="utf-8")
    return target


def relationship_type(relation: str) -> str:
    """The Neo4j relationship type of a kg relation: ``evaluatesOn`` -> ``EVALUATES_ON``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", relation).upper()


def node_file(label: str) -> str:
    """The file name of the nodes of one label (``nodes_Paper.csv``)."""
    return f"nodes_{label}.csv"


def relationship_file(relation: str) -> str:
    """The file name of the relationships of one relation (``rels_EVALUATES_ON.csv``)."""
    return f"rels_{relationship_type(relation)}.csv"


# -- columns and values -------------------------------------------------------------------

def _node_columns(label: str) -> list[_Column]:
    return [_Column(f"id:ID({label})", "id"), _Column(":LABEL"),
            *(_property_column(name, kind) for name, kind in NODE_PROPERTIES[label])]


def _relationship_columns(source_label: str, target_label: str) -> list[_Column]:
    return [_Column(f":START_ID({source_label})"), _Column(f":END_ID({target_label})"),
            _Column(":TYPE"), *(_property_column(name, kind) for name, kind in RELATIONSHIP_PROPERTIES)]


def _property_column(name: str, kind: str) -> _Column:
    return _Column(name if kind == "string" else f"{name}:{kind}", name, kind)


def _relationship_values(data: dict) -> list[object]:
    evidence = data.get("evidence") or []
    primary = evidence[0] if evidence else None
    return [
        data.get("confidence"),
        data.get("extractor"),
        primary and primary.text,
        primary and primary.sentence,
        primary and primary.field,
        primary and primary.start,
        primary and primary.end,
        len(evidence),
    ]


# -- CSV ----------------------------------------------------------------------------------

def _write_csv(path: Path, columns: list[_Column], rows: list[list[object]]) -> None:
    lines = [",".join(c.header for c in columns)]
    lines += [",".join(_cell(value) for value in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")


def _cell(value: object) -> str:
    """One CSV field: text always quoted, numbers bare, None (and empty lists) empty."""
    if value is None or value == [] or value == ():
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        value = ARRAY_DELIMITER.join(str(item).replace(ARRAY_DELIMITER, "\uff1b") for item in value)
    return '"' + str(value).replace('"', '""') + '"'


# -- scripts ------------------------------------------------------------------------------

def _import_script() -> str:
    nodes = " \\\n".join(f"  --nodes={node_file(label)}" for label in schema.NODE_TYPES)
    relationships = " \\\n".join(f"  --relationships={relationship_file(r)}" for r in schema.RELATIONS)
    return f"""#!/bin/sh
# Import the kg graph into a new Neo4j database with neo4j-admin (Neo4j 5).
# Usage: ./import.sh [database]   (default database: neo4j; stop the server first)
# Then start Neo4j; for a database other than the default one, run
#   CREATE DATABASE <name>   in the system database.
set -eu
cd "$(dirname "$0")"
neo4j-admin database import full "${{1:-neo4j}}" \\
  --overwrite-destination=true \\
  --delimiter="," \\
  --array-delimiter="{ARRAY_DELIMITER}" \\
  --quote='"' \\
  --multiline-fields=true \\
{nodes} \\
{relationships}
"""


def _load_cypher() -> str:
    """Constraints, then one LOAD CSV ... MERGE statement per file (files in Neo4j's import/)."""
    statements = [
        "// Load the kg graph into an existing Neo4j 5 database.\n"
        "// Copy the CSV files of this directory into the database's import/ directory, then run\n"
        "//   cypher-shell -f load.cypher"
    ]
    for label in schema.NODE_TYPES:
        statements.append(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                          f"FOR (n:{label}) REQUIRE n.id IS UNIQUE;")
    for label in schema.NODE_TYPES:
        columns = _node_columns(label)
        sets = ",\n    ".join(f"n.{c.name} = {_from_row(c)}" for c in columns[2:])
        statements.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///{node_file(label)}' AS row\n"
            f"MERGE (n:{label} {{id: row.`{columns[0].header}`}})\n"
            f"SET {sets};"
        )
    for relation, (source_label, target_label) in schema.RELATIONS.items():
        columns = _relationship_columns(source_label, target_label)
        sets = ",\n    ".join(f"r.{c.name} = {_from_row(c)}" for c in columns[3:])
        statements.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///{relationship_file(relation)}' AS row\n"
            f"MATCH (a:{source_label} {{id: row.`{columns[0].header}`}})\n"
            f"MATCH (b:{target_label} {{id: row.`{columns[1].header}`}})\n"
            f"MERGE (a)-[r:{relationship_type(relation)}]->(b)\n"
            f"SET {sets};"
        )
    return "\n\n".join(statements) + "\n"


def _from_row(column: _Column) -> str:
    return _CYPHER_TYPES[column.kind].format(f"row.`{column.header}`")
