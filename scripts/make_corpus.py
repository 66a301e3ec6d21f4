#!/usr/bin/env python3
"""Write a JSON Lines corpus of abstract-length documents made of real sentences.

The sentences are the unique sentences of the shared annotated corpora (SciERC, TDMSci,
SciREX, as ``kg.evaluation.speed`` reads them) in ``../shared/data``.  Document ``i`` takes
consecutive sentences of one seeded shuffle of them until it reaches ``--words`` words; each
new pass over the sentences uses a new shuffle, and a document whose text was already
written is skipped, so no two documents are the same text.

Usage: scripts/make_corpus.py COUNT OUT.jsonl [--data ../shared/data] [--words 180] [--seed 0]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import _venv  # noqa: E402,F401  (runs this script with .venv's Python, kg importable)

from kg.evaluation.corpora import load  # noqa: E402
from kg.evaluation.speed import SOURCES  # noqa: E402

_SPACE_BEFORE = re.compile(r" ([.,;:!?)\]%])")
_SPACE_AFTER = re.compile(r"([(\[]) ")


def unique_sentences(data_dir: Path) -> list[str]:
    """Every distinct sentence of the source corpora, detokenised, in first-seen order."""
    seen: dict[str, None] = {}
    for corpus, split in SOURCES:
        for sentence in load(data_dir, corpus, split):
            text = _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", " ".join(sentence.words)))
            if len(sentence.words) >= 5:
                seen.setdefault(text, None)
    return list(seen)


def documents(sentences: list[str], count: int, words: int, seed: int) -> Iterator[dict]:
    """``count`` distinct {id, title, abstract} documents of at least ``words`` words."""
    written: set[int] = set()
    number, shuffle = 0, 0
    while number < count:
        order = sentences[:]
        random.Random(seed + shuffle).shuffle(order)
        shuffle += 1
        current: list[str] = []
        length = 0
        for sentence in order:
            current.append(sentence)
            length += sentence.count(" ") + 1
            if length < words or len(current) < 2:
                continue  # a title and an abstract of at least one sentence
            title, abstract = current[0], " ".join(current[1:])
            key = hash((title, abstract))
            if key not in written:
                written.add(key)
                number += 1
                yield {"id": f"bench-{number:07d}", "title": title, "abstract": abstract}
                if number == count:
                    return
            current, length = [], 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--words", type=int, default=180)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sentences = unique_sentences(args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for document in documents(sentences, args.count, args.words, args.seed):
            handle.write(json.dumps(document, ensure_ascii=False) + "\n")
    print(f"wrote {args.count} documents from {len(sentences)} unique sentences to {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
