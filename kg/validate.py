"""SHACL validation of an RDF export against ``schemas/shapes.ttl`` and the ontology ``schemas/kg.ttl``.

>>> report = validate("outputs/graph.ttl")        # doctest: +SKIP
>>> report.conforms, report.violations[:3]        # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.namespace import SH

from kg.errors import InputError, KGError
from kg.export.rdf import SCHEMAS_DIR

__all__ = ["ONTOLOGY_PATH", "SHAPES_PATH", "ValidationReport", "validate"]

SHAPES_PATH = SCHEMAS_DIR / "shapes.ttl"
ONTOLOGY_PATH = SCHEMAS_DIR / "kg.ttl"

_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Whether the export conforms, and one line per violation (focus node, path: message)."""

    conforms: bool
    violations: list[str]


def validate(path: str | Path) -> ValidationReport:
    """Validate an export (Turtle, N-Triples or JSON-LD, by extension) with pyshacl."""
    try:
        import pyshacl
    except ImportError:
        raise KGError("validation needs pyshacl: pip install pyshacl") from None
    path = Path(path)
    data = _parse(path)
    shapes = rdflib.Graph().parse(SHAPES_PATH, format="turtle")
    ontology = rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology,
                                            inference="none", abort_on_first=False)
    return ValidationReport(bool(conforms), _violations(results))


def _parse(path: Path) -> rdflib.Graph:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot validate this file: expected {', '.join(_FORMATS)}", str(path))
    try:
        return rdflib.Graph().parse(path, format=fmt)
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", str(path)) from None
    except Exception as error:  # rdflib's parsers raise many unrelated exception types
        raise InputError(f"cannot read as {fmt}: {error}", str(path)) from None


def _violations(results: rdflib.Graph) -> list[str]:
    lines = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage) or results.value(result, SH.sourceConstraintComponent)
        where = f"<{focus}>" + (f" {path.n3(results.namespace_manager)}" if path is not None else "")
        lines.append(f"{where}: {message}")
    return sorted(lines)
