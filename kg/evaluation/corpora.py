"""Readers that turn the shared NER corpora into tokenised sentences with labelled spans."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator, Mapping, NamedTuple, Sequence

from kg.errors import InputError
from kg.evaluation.labels import map_label

# TDMSci ships no dev split: the last sentences of its train file serve as dev.
TDMSCI_DEV_SENTENCES = 150

CORPUS_FILES: dict[tuple[str, str], str] = {
    ("scierc", "train"): "scierc/json/train.json",
    ("scierc", "dev"): "scierc/json/dev.json",
    ("scierc", "test"): "scierc/json/test.json",
    ("tdmsci", "train"): "tdmsci/train_1500_v2.conll",
    ("tdmsci", "dev"): "tdmsci/train_1500_v2.conll",
    ("tdmsci", "test"): "tdmsci/test_500_v2.conll",
    ("scirex", "train"): "scirex/train.jsonl",
    ("scirex", "dev"): "scirex/dev.jsonl",
    ("scier", "dev"): "scier/PLM/dev.jsonl",
    ("scier", "test"): "scier/PLM/test.jsonl",
    ("scier", "test_ood"): "scier/PLM/test_ood.jsonl",
}


class Sentence(NamedTuple):
    """One tokenised sentence; ``spans`` are (first token, end token exclusive, label)."""

    doc_id: str
    words: tuple[str, ...]
    spans: tuple[tuple[int, int, str], ...]


def _json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"not a JSON object ({error.msg})", str(path), number) from error


def read_dygie(path: str | Path) -> Iterator[Sentence]:
    """Read DyGIE/PURE JSON Lines (SciERC, SciER PLM): ``sentences`` and per-sentence ``ner``.

    ``ner`` holds ``[start, end, label]`` with document-level token indices, ``end`` inclusive.
    """
    path = Path(path)
    for number, record in _json_lines(path):
        try:
            doc_id = str(record.get("doc_key", record.get("doc_id", number)))
            offset = 0
            for words, entities in zip(record["sentences"], record["ner"], strict=True):
                spans = tuple(
                    (start - offset, end - offset + 1, label) for start, end, label in entities
                )
                if any(start < 0 or end > len(words) for start, end, _ in spans):
                    raise ValueError("an entity lies outside its sentence")
                yield Sentence(doc_id, tuple(words), spans)
                offset += len(words)
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(
                f"expected DyGIE JSON with 'sentences' and 'ner' of [start, end, label] ({error})",
                str(path),
                number,
            ) from error


def read_scirex(path: str | Path) -> Iterator[Sentence]:
    """Read SciREX JSON Lines: document ``words``, ``sentences`` [start, end) and ``ner``.

    SciREX ``ner`` holds ``[start, end, label]`` document-level, ``end`` exclusive.
    """
    path = Path(path)
    for number, record in _json_lines(path):
        try:
            words = record["words"]
            entities = sorted((start, end, label) for start, end, label in record["ner"])
            doc_id = str(record["doc_id"])
            for start, end in record["sentences"]:
                spans = tuple(
                    (first - start, last - start, label)
                    for first, last, label in entities
                    if first >= start and last <= end
                )
                yield Sentence(doc_id, tuple(words[start:end]), spans)
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(
                f"expected SciREX JSON with 'words', 'sentences' and 'ner' ({error})",
                str(path),
                number,
            ) from error


def read_conll_bio(path: str | Path, doc_id: str = "") -> Iterator[Sentence]:
    """Read TDMSci CoNLL: ``token <TAB> char offset <TAB> BIO tag``, blank line between sentences.

    An ``I-`` tag that does not continue a span of its label starts a new one.
    """
    path = Path(path)
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                if words:
                    yield Sentence(doc_id or path.stem, tuple(words), bio_spans(tags))
                    words, tags = [], []
                continue
            columns = line.split("\t")
            tag = columns[-1]
            if len(columns) < 2 or not (tag == "O" or tag[:2] in ("B-", "I-")):
                raise InputError(
                    f"expected 'token<TAB>offset<TAB>BIO tag', got {line!r}", str(path), number
                )
            words.append(columns[0])
            tags.append(tag)
    if words:
        yield Sentence(doc_id or path.stem, tuple(words), bio_spans(tags))


def bio_spans(tags: Sequence[str]) -> tuple[tuple[int, int, str], ...]:
    """Spans (start, end exclusive, label) from BIO tags; a stray ``I-`` starts a span.

    >>> bio_spans(["B-Task", "I-Task", "I-Method", "O", "I-Task"])
    ((0, 2, 'Task'), (2, 3, 'Method'), (4, 5, 'Task'))
    """
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for index, tag in enumerate([*tags, "O"]):
        continues = tag.startswith("I-") and tag[2:] == label
        if start >= 0 and not continues:
            spans.append((start, index, label))
            start, label = -1, ""
        if tag != "O" and not continues:
            start, label = index, tag[2:]
    return tuple(spans)


def relabel(sentences: Iterable[Sentence], mapping: Mapping[str, str]) -> Iterator[Sentence]:
    """Map each span's label through ``mapping``, dropping spans whose label it lacks."""
    for sentence in sentences:
        spans = tuple(
            (start, end, mapped)
            for start, end, label in sentence.spans
            if (mapped := map_label(label, mapping)) is not None
        )
        yield sentence._replace(spans=spans)


def load(data_dir: str | Path, corpus: str, split: str) -> list[Sentence]:
    """All sentences of one split of one shared corpus, with the corpus's own labels.

    >>> load("../shared/data", "tdmsci", "dev")  # doctest: +SKIP
    """
    key = (corpus, split)
    if key not in CORPUS_FILES:
        known = ", ".join(f"{c}/{s}" for c, s in CORPUS_FILES)
        raise InputError(f"no corpus split {corpus}/{split}; known: {known}")
    path = Path(data_dir) / CORPUS_FILES[key]
    if not path.is_file():
        raise InputError("corpus file not found", str(path))
    if corpus == "tdmsci":
        sentences = list(read_conll_bio(path, doc_id=f"tdmsci-{split}"))
        if split == "train":
            return sentences[:-TDMSCI_DEV_SENTENCES]
        if split == "dev":
            return sentences[-TDMSCI_DEV_SENTENCES:]
        return sentences
    if corpus == "scirex":
        return list(read_scirex(path))
    return list(read_dygie(path))
