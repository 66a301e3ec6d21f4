"""Plain, frozen records that flow between the stages of kg.

``Paper`` (kg.io) -> ``PaperMentions`` (kg.extract) -> ``PaperRecord`` (kg.normalize)
-> networkx graph (kg.graph) -> files (kg.export).  No spaCy object ever appears here.

Every record converts to and from plain JSON-ready dicts (``to_dict`` / ``from_dict``) so that
stages can run in other processes and records can be written as JSON Lines.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

EntityType = Literal["Method", "Dataset", "Metric", "Task"]
ENTITY_TYPES: tuple[str, ...] = ("Method", "Dataset", "Metric", "Task")

Field = Literal["title", "abstract"]
FIELDS: tuple[str, ...] = ("title", "abstract")

Role = Literal["proposed", "introduced", "used"]
ROLES: tuple[str, ...] = ("proposed", "introduced", "used")

ResultKind = Literal["absolute", "relative"]
RESULT_KINDS: tuple[str, ...] = ("absolute", "relative")


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as read from an input file.

    ``id`` is stable and IRI-safe: ``arxiv:<id>``, else ``doi:<doi>``, else ``<source>:<id>``,
    else ``title:<hash of the normalised title>`` (see ``kg.io.ids``).
    ``source`` names the reader (``daily``, ``jsonl``, ``csv``, ``arxiv-snapshot``,
    ``arxiv-atom``, ``openalex``, ``s2``); ``source_line`` is 1-based (the line where the
    record starts, or the record's index for formats without lines).
    """

    id: str
    title: str
    abstract: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    url: str | None = None
    date: str | None = None
    categories: tuple[str, ...] = ()
    source: str = ""
    source_file: str = ""
    source_line: int = 0

    def text(self, field_name: str) -> str:
        """The text of ``title`` or ``abstract``."""
        return self.title if field_name == "title" else self.abstract

    def to_dict(self) -> dict[str, Any]:
        # Every field is flat (tuples of strings at most): no deep copy as ``asdict`` makes.
        return {name: list(value) if isinstance(value, tuple) else value
                for name in _PAPER_FIELDS for value in (getattr(self, name),)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        return cls(**_tupled(cls, data))


_PAPER_FIELDS = tuple(f.name for f in fields(Paper))


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a link was read: the exact text, its field and character offsets in that field.

    ``start``/``end`` index ``paper.title`` or ``paper.abstract`` (``end`` exclusive);
    ``sentence`` is the whole sentence around it and ``sentence_start`` its offset in the field.
    ``source`` is the name of the component that found it (``gazetteer``, ``ner``, ...).
    """

    text: str
    field: str
    start: int
    end: int
    sentence: str
    sentence_start: int = 0
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a paper that names a method, dataset, metric or task.

    ``canonical`` is the canonical name a gazetteer gave it (None when no list holds it);
    ``role`` is what the sentence says about it (``proposed``/``introduced``/``used``) or None.
    """

    label: str
    evidence: Evidence
    confidence: float
    canonical: str | None = None
    role: str | None = None

    @property
    def text(self) -> str:
        return self.evidence.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "evidence": self.evidence.to_dict(),
            "confidence": self.confidence,
            "canonical": self.canonical,
            "role": self.role,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        return cls(
            label=data["label"],
            evidence=Evidence.from_dict(data["evidence"]),
            confidence=data["confidence"],
            canonical=data.get("canonical"),
            role=data.get("role"),
        )


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """A short form defined next to its long form ("long form (SF)" or "SF (long form)")."""

    short: str
    long: str
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {"short": self.short, "long": self.long, "evidence": self.evidence.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Abbreviation:
        return cls(data["short"], data["long"], Evidence.from_dict(data["evidence"]))


@dataclass(frozen=True, slots=True)
class Link:
    """A URL found in the text; ``url`` is normalised, ``evidence.text`` is what was written.

    ``repository`` is True for code hosts (github.com, gitlab.com, bitbucket.org,
    huggingface.co), whose ``url`` is then ``https://host/owner/repo``.
    """

    url: str
    repository: bool
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "repository": self.repository, "evidence": self.evidence.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        return cls(data["url"], data["repository"], Evidence.from_dict(data["evidence"]))


@dataclass(frozen=True, slots=True)
class ResultMention:
    """A reported number as the text gives it, before its names are tied to entities.

    ``metric``, ``dataset`` and ``method`` are the surface texts (or None) the sentence ties
    to the number; ``value`` is parsed (``87.8`` for "87.8%") and ``unit`` normalised ("%",
    "points", "x", "dB", "ms", "fps", "M params", "GFLOPs", "GMACs", None) with the value
    scaled to it.  ``kind`` is "absolute" (a score) or "relative" (an improvement or ratio
    over ``baseline``, the text of the method compared with when the sentence names one);
    ``setting`` is the split or protocol written with the number ("val", "zero-shot").
    """

    value: float
    unit: str | None
    metric: str | None
    dataset: str | None
    method: str | None
    evidence: Evidence
    confidence: float
    kind: str = "absolute"
    setting: str | None = None
    baseline: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence"] = self.evidence.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResultMention:
        data = dict(data)
        data["evidence"] = Evidence.from_dict(data["evidence"])
        return cls(**data)


@dataclass(frozen=True, slots=True)
class PaperMentions:
    """Everything the extraction layer found in one paper, as plain records."""

    paper: Paper
    mentions: tuple[Mention, ...] = ()
    abbreviations: tuple[Abbreviation, ...] = ()
    links: tuple[Link, ...] = ()
    results: tuple[ResultMention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "paper": self.paper.to_dict(),
            "mentions": [m.to_dict() for m in self.mentions],
            "abbreviations": [a.to_dict() for a in self.abbreviations],
            "links": [link.to_dict() for link in self.links],
            "results": [r.to_dict() for r in self.results],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PaperMentions:
        return cls(
            paper=Paper.from_dict(data["paper"]),
            mentions=tuple(Mention.from_dict(m) for m in data["mentions"]),
            abbreviations=tuple(Abbreviation.from_dict(a) for a in data["abbreviations"]),
            links=tuple(Link.from_dict(x) for x in data["links"]),
            results=tuple(ResultMention.from_dict(r) for r in data["results"]),
        )


@dataclass(frozen=True, slots=True)
class EntityRef:
    """A canonical entity as one paper refers to it.

    ``id`` is ``<type lower>/<slug of the canonical key>`` (e.g. ``method/evoprompt``), stable
    across runs; ``keys`` are every normalised key it answers to (canonical name, acronym,
    long form, aliases) so the graph can merge entities across papers by any shared key.
    """

    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    keys: tuple[str, ...]
    role: str | None
    confidence: float
    mentions: tuple[Mention, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "aliases": list(self.aliases),
            "keys": list(self.keys),
            "role": self.role,
            "confidence": self.confidence,
            "mentions": [_mention_json(m) for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EntityRef:
        return cls(
            id=data["id"],
            type=data["type"],
            name=data["name"],
            aliases=tuple(data["aliases"]),
            keys=tuple(data["keys"]),
            role=data.get("role"),
            confidence=data["confidence"],
            mentions=tuple(_mention_from_json(m, data["type"]) for m in data["mentions"]),
        )


@dataclass(frozen=True, slots=True)
class Repository:
    """A code repository the paper links to, with every place it is written."""

    url: str
    mentions: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "mentions": [_evidence_json(e) for e in self.mentions]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Repository:
        return cls(data["url"], tuple(_evidence_from_json(e) for e in data["mentions"]))


@dataclass(frozen=True, slots=True)
class Result:
    """A reported result tied to entity ids (each may be None when the sentence does not say).

    ``metric`` is a canonical metric entity; ``kind``, ``setting`` and ``baseline`` are as in
    ``ResultMention`` (relative results are kept, and never ranked on a leaderboard).
    """

    id: str
    method: str | None
    dataset: str | None
    metric: str | None
    value: float
    unit: str | None
    text: str
    evidence: Evidence
    confidence: float
    kind: str = "absolute"
    setting: str | None = None
    baseline: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "method": self.method,
            "dataset": self.dataset,
            "metric": self.metric,
            "value": _number(self.value),
            "unit": self.unit,
            "kind": self.kind,
            "setting": self.setting,
            "baseline": self.baseline,
            "text": self.text,
            "evidence": _evidence_json(self.evidence),
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        data = dict(data)
        data["evidence"] = _evidence_from_json(data["evidence"])
        data["value"] = float(data["value"])
        return cls(**data)


@dataclass(frozen=True, slots=True)
class PaperRecord:
    """One paper with its normalised entities, repositories, other URLs and results.

    This is what ``kg extract`` writes as one line of JSON (``schemas/papers.schema.json``).
    """

    paper: Paper
    entities: tuple[EntityRef, ...] = ()
    repositories: tuple[Repository, ...] = ()
    urls: tuple[str, ...] = ()
    results: tuple[Result, ...] = ()
    abbreviations: tuple[Abbreviation, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        paper = self.paper
        return {
            "id": paper.id,
            "title": paper.title,
            "abstract": paper.abstract,
            "source": {
                "format": paper.source,
                "file": paper.source_file,
                "line": paper.source_line,
            },
            "metadata": {
                "authors": list(paper.authors),
                "year": paper.year,
                "date": paper.date,
                "doi": paper.doi,
                "arxiv_id": paper.arxiv_id,
                "url": paper.url,
                "categories": list(paper.categories),
            },
            "entities": [e.to_dict() for e in self.entities],
            "repositories": [r.to_dict() for r in self.repositories],
            "urls": list(self.urls),
            "results": [r.to_dict() for r in self.results],
            "abbreviations": [
                {"short": a.short, "long": a.long, **_evidence_json(a.evidence)}
                for a in self.abbreviations
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PaperRecord:
        meta = data.get("metadata", {})
        source = data.get("source", {})
        paper = Paper(
            id=data["id"],
            title=data["title"],
            abstract=data["abstract"],
            authors=tuple(meta.get("authors", ())),
            year=meta.get("year"),
            doi=meta.get("doi"),
            arxiv_id=meta.get("arxiv_id"),
            url=meta.get("url"),
            date=meta.get("date"),
            categories=tuple(meta.get("categories", ())),
            source=source.get("format", ""),
            source_file=source.get("file", ""),
            source_line=source.get("line", 0),
        )
        return cls(
            paper=paper,
            entities=tuple(EntityRef.from_dict(e) for e in data.get("entities", ())),
            repositories=tuple(Repository.from_dict(r) for r in data.get("repositories", ())),
            urls=tuple(data.get("urls", ())),
            results=tuple(Result.from_dict(r) for r in data.get("results", ())),
            abbreviations=tuple(
                Abbreviation(a["short"], a["long"], _evidence_from_json(a))
                for a in data.get("abbreviations", ())
            ),
        )


# -- JSON shapes of the records file -------------------------------------------------------
# In papers.jsonl an evidence is flat: {text, field, start, end, sentence, source}; a mention
# adds its confidence, canonical name and role.  These helpers keep that shape in one place.

def _evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {
        "text": evidence.text,
        "field": evidence.field,
        "start": evidence.start,
        "end": evidence.end,
        "sentence": evidence.sentence,
        "sentence_start": evidence.sentence_start,
        "source": evidence.source,
    }


def _evidence_from_json(data: dict[str, Any]) -> Evidence:
    return Evidence(
        text=data["text"],
        field=data["field"],
        start=data["start"],
        end=data["end"],
        sentence=data["sentence"],
        sentence_start=data.get("sentence_start", 0),
        source=data.get("source", ""),
    )


def _mention_json(mention: Mention) -> dict[str, Any]:
    return {
        **_evidence_json(mention.evidence),
        "confidence": mention.confidence,
        "canonical": mention.canonical,
        "role": mention.role,
    }


def _mention_from_json(data: dict[str, Any], label: str) -> Mention:
    return Mention(
        label=label,
        evidence=_evidence_from_json(data),
        confidence=data["confidence"],
        canonical=data.get("canonical"),
        role=data.get("role"),
    )


def _number(value: float) -> float | int:
    """A value as JSON writes it: whole numbers without ".0" ("88%" is 88, not 88.0)."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def _tupled(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in names}
