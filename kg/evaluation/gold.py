"""Score kg's records against guideline gold (``../shared/gold``): entities, roles, code, results.

The matching is that of the reference scorer ``../shared/gold/score.py`` (a test runs both on
the same records and compares every number): papers by normalised title; a system entity hits
a gold entity of its type when one of its surface strings (name, aliases, mention texts),
normalised, equals one of the gold entity's; results by the number of their value, and as
whole (method, dataset, metric, value) tuples.  On top of the reference numbers this module
scores each result slot alone, precision and recall at confidence thresholds, and lists every
miss and false positive by paper.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError

__all__ = [
    "DEFAULT_GOLD",
    "GoldScores",
    "build_records",
    "calibration",
    "format_errors",
    "format_gold_table",
    "gold_input_path",
    "read_gold",
    "score_records",
    "thresholded",
    "with_thresholds",
]

DEFAULT_GOLD = Path("../shared/gold/dev-gold.jsonl")
TYPES = {"methods": "method", "datasets": "dataset", "metrics": "metric", "tasks": "task"}
ROLE_OF = {"methods": "proposed", "datasets": "introduced"}
GENERIC_METRICS = frozenset({"score", "improvement", "speedup", "speed"})
RESULT_SLOTS = ("method", "dataset", "metric")
THRESHOLDS = (0.3, 0.5, 0.7, 0.9)
_TABLE_ROWS = (
    ("methods", "Method"), ("datasets", "Dataset"), ("metrics", "Metric"), ("tasks", "Task"),
    ("proposed", "proposed methods (role)"), ("introduced", "introduced datasets (role)"),
    ("results(value)", "results (value)"), ("results(tuple)", "results (method, dataset, metric, value)"),
    ("result-method", "result method (alone)"), ("result-dataset", "result dataset (alone)"),
    ("result-metric", "result metric (alone)"), ("repos", "repositories"),
)


def norm(text: object) -> str:
    """The scorer's normal form of a surface string (case, dashes, article, plural)."""
    s = unicodedata.normalize("NFKC", str(text)).lower().strip()
    s = re.sub(r"[\u2010-\u2015]", "-", s)
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"^(the|a|an) ", "", s)
    s = re.sub(r"[.,;:]+$", "", s)
    if len(s) > 3 and s.endswith("es") and s[-3] in "sxz":
        s = s[:-2]
    elif len(s) > 2 and s.endswith("s") and not s.endswith("ss"):
        s = s[:-1]
    return s


def title_key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", unicodedata.normalize("NFKC", title).lower())


def repo_key(url: str) -> str:
    u = url.strip().rstrip(".").lower()
    u = re.sub(r"^https?://(www\.)?", "", u)
    u = re.sub(r"\.git$", "", u)
    parts = u.split("/")
    return "/".join(parts[:3]) if len(parts) >= 3 else u


def _number(value: object) -> str:
    match = re.search(r"\d+(?:\.\d+)?", str(value))
    return match.group(0) if match else str(value)


def _system_type(entity_type: str | None) -> str | None:
    lowered = (entity_type or "").lower()
    return next((key for key, prefix in TYPES.items() if lowered.startswith(prefix)), None)


def _surfaces(entity: Mapping[str, Any]) -> set[str]:
    out = {norm(entity.get("name", ""))}
    for mention in entity.get("mentions") or []:
        if isinstance(mention, dict) and mention.get("text"):
            out.add(norm(mention["text"]))
        elif isinstance(mention, str):
            out.add(norm(mention))
    out.update(norm(alias) for alias in entity.get("aliases") or [])
    out.discard("")
    return out


def _gold_forms(gold_entity: Mapping[str, Any]) -> set[str]:
    return {norm(x) for x in [*gold_entity["aliases"], gold_entity["name"]]}


@dataclass
class _Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def as_dict(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class GoldScores:
    """Scores of one set of records: ``scores`` has the reference scorer's keys and more."""

    scores: dict[str, Any]
    errors: list[dict[str, str]] = field(default_factory=list)
    thresholds: dict[str, dict[str, dict[str, float | int]]] = field(default_factory=dict)
    # Confidence bin ("0.8-0.9") -> share of the entities in it that the gold has, and how many.
    calibration: dict[str, dict[str, float | int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"scores": self.scores, "thresholds": self.thresholds, "calibration": self.calibration,
                "errors": self.errors}


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """The gold papers of a guideline gold file (JSON Lines)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(f"{path}: cannot read the gold file: {error.strerror or error}") from None
    gold = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            for key in ("title", *TYPES, "repos", "results"):
                record[key]  # noqa: B018 - every key the scorer reads must be there
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise InputError(f"{path}:{number}: not a gold record ({error})") from None
        gold.append(record)
    return gold


def gold_input_path(gold_path: str | Path) -> Path:
    """The input records beside a gold file: ``dev-gold.jsonl`` -> ``dev-input.jsonl``."""
    gold_path = Path(gold_path)
    name = gold_path.name.replace("-gold", "-input")
    if name == gold_path.name:
        raise InputError(f"{gold_path}: cannot tell its input file (expected a name with '-gold')")
    return gold_path.with_name(name)


def score_records(records: Iterable[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> GoldScores:
    """Score ``records`` (dicts as ``kg extract`` writes them) against ``gold``."""
    gold_by_title = {title_key(g["title"]): g for g in gold}
    by_title = {title_key(r.get("title", "")): r for r in records}
    counts: dict[str, _Count] = defaultdict(_Count)
    any_type = _Count()
    errors: list[dict[str, str]] = []
    role_found = {"methods": [0, 0], "datasets": [0, 0]}
    for key, g in gold_by_title.items():
        record = by_title.get(key, {})
        system: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for entity in record.get("entities") or []:
            kind = _system_type(entity.get("type") or entity.get("label"))
            if kind:
                system[kind].append(entity)
        for kind in TYPES:
            golds = [_gold_forms(ge) for ge in g[kind]]
            found = [_surfaces(e) for e in system[kind]]
            hit_gold = [any(gg & s for s in found) for gg in golds]
            hit_system = [any(gg & s for gg in golds) for s in found]
            counts[kind].add(sum(hit_gold), hit_system.count(False), hit_gold.count(False))
            errors += [{"paper": g["id"], "kind": "miss", "type": kind, "name": ge["name"]}
                       for ge, hit in zip(g[kind], hit_gold) if not hit]
            errors += [{"paper": g["id"], "kind": "false positive", "type": kind,
                        "name": str(e.get("name"))} for e, hit in zip(system[kind], hit_system) if not hit]
            if kind in ROLE_OF:
                want = ROLE_OF[kind]
                _role_accuracy(g[kind], system[kind], found, want, role_found[kind])
                gold_role = [_gold_forms(ge) for ge in g[kind] if ge.get("role") == want]
                system_role = [s for e, s in zip(system[kind], found) if str(e.get("role", "")).lower() == want]
                counts[want].add(sum(any(gg & s for s in system_role) for gg in gold_role),
                                 sum(not any(gg & s for gg in gold_role) for s in system_role),
                                 sum(not any(gg & s for s in system_role) for gg in gold_role))
        all_gold = [_gold_forms(ge) for kind in TYPES for ge in g[kind]]
        all_system = [_surfaces(e) for kind in TYPES for e in system[kind]]
        hit_gold = [any(gg & s for s in all_system) for gg in all_gold]
        hit_system = [any(gg & s for gg in all_gold) for s in all_system]
        any_type.add(sum(hit_gold), hit_system.count(False), hit_gold.count(False))
        gold_repos = {repo_key(u) for u in g["repos"]}
        system_repos = {repo_key(x["url"] if isinstance(x, dict) else x)
                        for x in (record.get("repositories") or record.get("repos") or [])}
        counts["repos"].add(len(gold_repos & system_repos), len(system_repos - gold_repos),
                            len(gold_repos - system_repos))
        errors += [{"paper": g["id"], "kind": "miss", "type": "repos", "name": url}
                   for url in sorted(gold_repos - system_repos)]
        errors += [{"paper": g["id"], "kind": "false positive", "type": "repos", "name": url}
                   for url in sorted(system_repos - gold_repos)]
        _score_results(g, record, counts, errors)
    scores: dict[str, Any] = {name: count.as_dict() for name, count in counts.items()}
    summary = any_type.as_dict()
    scores["any-type"] = {k: summary[k] for k in ("p", "r", "f1")}
    scores["proposed-role-acc"] = _ratio(*role_found["methods"])
    scores["introduced-role-acc"] = _ratio(*role_found["datasets"])
    scores["papers-missing"] = sum(key not in by_title for key in gold_by_title)
    scores["macro-f1-4types"] = round(sum(scores[kind]["f1"] for kind in TYPES) / 4, 3)
    return GoldScores(scores, errors)


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 3) if denominator else 0.0


def _role_accuracy(gold_entities: Sequence[Mapping[str, Any]], system: Sequence[Mapping[str, Any]],
                   found: Sequence[set[str]], want: str, counter: list[int]) -> None:
    """Of the gold entities with role ``want`` that were found, how many carry the role."""
    for ge in gold_entities:
        if ge.get("role") != want:
            continue
        forms = _gold_forms(ge)
        for entity, surfaces in zip(system, found):
            if forms & surfaces:
                counter[1] += 1
                counter[0] += str(entity.get("role", "")).lower() == want
                break


def _score_results(g: Mapping[str, Any], record: Mapping[str, Any], counts: dict[str, _Count],
                   errors: list[dict[str, str]]) -> None:
    results = list(record.get("results") or [])
    gold_values = {_number(x["value"]) for x in g["results"]}
    system_values = {_number(x.get("value")) for x in results}
    counts["results(value)"].add(len(gold_values & system_values), len(system_values - gold_values),
                                 len(gold_values - system_values))
    entities = {e.get("id"): _surfaces(e) for e in record.get("entities") or []}

    def slot(result: Mapping[str, Any], key: str) -> set[str]:
        value = result.get(key)
        return entities.get(value, {norm(value)}) if isinstance(value, str) else set()

    def slot_hits(gold_result: Mapping[str, Any], result: Mapping[str, Any], key: str) -> bool:
        wanted = gold_result.get(key)
        if key == "metric" and wanted and norm(wanted) in GENERIC_METRICS:
            return True
        if wanted is None:
            return not (key == "dataset" and slot(result, key))
        return norm(wanted) in slot(result, key)

    def matches(gold_result: Mapping[str, Any], result: Mapping[str, Any], keys: Sequence[str]) -> bool:
        return _number(gold_result["value"]) == _number(result.get("value")) and all(
            slot_hits(gold_result, result, key) for key in keys)

    for name, keys in (("results(tuple)", RESULT_SLOTS),
                       *((f"result-{key}", (key,)) for key in RESULT_SLOTS)):
        used: set[int] = set()
        for gold_result in g["results"]:
            index = next((i for i, result in enumerate(results)
                          if i not in used and matches(gold_result, result, keys)), None)
            if index is None:
                counts[name].fn += 1
                if name == "results(tuple)":
                    errors.append({"paper": g["id"], "kind": "miss", "type": "results",
                                   "name": _result_label(gold_result)})
            else:
                used.add(index)
                counts[name].tp += 1
        counts[name].fp += len(results) - len(used)


def _result_label(result: Mapping[str, Any]) -> str:
    return (f"{result.get('value')} {result.get('metric')} of {result.get('method')}"
            f" on {result.get('dataset')}")


def thresholded(records: Sequence[Mapping[str, Any]], threshold: float) -> list[dict[str, Any]]:
    """The records with only the entities whose confidence is at least ``threshold``."""
    return [{**r, "entities": [e for e in r.get("entities") or []
                               if float(e.get("confidence", 1.0)) >= threshold]} for r in records]


def with_thresholds(records: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]],
                    thresholds: Sequence[float] = THRESHOLDS) -> GoldScores:
    """``score_records`` plus the four types' P/R/F1 at each confidence threshold and the
    calibration of the entities' confidences."""
    scores = score_records(records, gold)
    for threshold in thresholds:
        at = score_records(thresholded(records, threshold), gold).scores
        scores.thresholds[f"{threshold:.1f}"] = {kind: at[kind] for kind in TYPES}
    scores.calibration = calibration(records, gold)
    return scores


def calibration(records: Iterable[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]],
                bins: int = 10) -> dict[str, dict[str, float | int]]:
    """For each confidence bin of width ``1 / bins`` that holds entities: the share of them the
    gold has (by type, as the scorer matches) -- about the bin's confidence when the
    confidences are calibrated."""
    gold_by_title = {title_key(g["title"]): g for g in gold}
    right: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for record in records:
        g = gold_by_title.get(title_key(record.get("title", "")))
        if g is None:
            continue
        for entity in record.get("entities") or []:
            kind = _system_type(entity.get("type") or entity.get("label"))
            if kind is None:
                continue
            hit = any(_gold_forms(ge) & _surfaces(entity) for ge in g[kind])
            index = min(int(float(entity.get("confidence", 1.0)) * bins), bins - 1)
            right[index][0] += hit
            right[index][1] += 1
    return {f"{i / bins:.1f}-{(i + 1) / bins:.1f}": {"precision": round(hits / count, 3), "entities": count}
            for i, (hits, count) in sorted(right.items())}


def format_gold_table(result: GoldScores) -> str:
    """The scores as the plain-text table ``kg eval --gold`` prints."""
    scores = result.scores
    lines = [f"{'':<42} {'P':>5} {'R':>5} {'F1':>5}"]
    for key, label in _TABLE_ROWS:
        if key in scores:
            row = scores[key]
            lines.append(f"{label:<42} {row['p']:>5.2f} {row['r']:>5.2f} {row['f1']:>5.2f}")
        if key == "tasks":
            lines.append(f"{'macro-F1 (4 types)':<42} {'':>5} {'':>5} {scores['macro-f1-4types']:>5.2f}")
    if result.thresholds:
        lines += ["", "entities at a minimum confidence (P / R per type)"]
        header = "  ".join(f"{TYPES[k].capitalize():>11}" for k in TYPES)
        lines.append(f"{'min-confidence':<16}{header}")
        for threshold, per_type in result.thresholds.items():
            cells = "  ".join(f"{per_type[k]['p']:>5.2f}/{per_type[k]['r']:<5.2f}" for k in TYPES)
            lines.append(f"{threshold:<16}{cells}".rstrip())
    if result.calibration:
        lines += ["", "calibration: confidence -> share of entities right (entities)"]
        lines += [f"{span:<16}{row['precision']:>5.2f} ({row['entities']})" for span, row in result.calibration.items()]
    if scores.get("papers-missing"):
        lines.append(f"\n{scores['papers-missing']} gold paper(s) have no record")
    return "\n".join(lines)


def format_errors(result: GoldScores) -> str:
    """Every miss and false positive, grouped by paper."""
    by_paper: dict[str, list[dict[str, str]]] = defaultdict(list)
    for error in result.errors:
        by_paper[error["paper"]].append(error)
    lines = []
    for paper in sorted(by_paper):
        lines.append(paper)
        for error in sorted(by_paper[paper], key=lambda e: (e["kind"], e["type"], e["name"])):
            lines.append(f"  {error['kind']:<15} {error['type']:<9} {error['name']}")
    return "\n".join(lines)


def build_records(input_path: str | Path, *, model: str | Path | None = "auto",
                  min_confidence: float | None = None) -> list[dict[str, Any]]:
    """Run kg's whole extraction over ``input_path`` as ``kg build`` does and return each
    paper's record as the graph holds it: entity ids and names are those of the merged
    graph nodes (cross-paper merging counts), mentions and aliases the paper's own."""
    from dataclasses import replace

    from kg.graph import GraphBuilder
    from kg.io import read_corpus
    from kg.build import extract_records

    builder = GraphBuilder()
    records = []
    for record in extract_records(read_corpus([input_path]), model=model,
                                  min_confidence=min_confidence):
        if builder.add(record):
            records.append(record)
    nodes = builder.entities.nodes()
    out = []
    for record in records:
        resolved = builder.resolve(record)
        entities = tuple(replace(e, name=nodes[e.id]["name"]) if e.id in nodes else e
                         for e in resolved.entities)
        out.append(replace(resolved, entities=entities).to_dict())
    return out
