"""Write the spaCy training corpora (.spacy) and raw text for pretraining from ../shared/data."""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Iterable, Mapping

import spacy
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from kg.evaluation.corpora import Sentence, load, relabel
from kg.evaluation.labels import SCIERC_IDENTITY, SCIERC_TO_KG, SCIREX_TO_KG, TDMSCI_TO_KG

# SciREX holds whole papers (1.7M words): a sample of its sentences keeps it from swamping
# the abstracts; a share of sentences without entities teaches the model when to stay silent.
SCIREX_EMPTY_SHARE = 0.2
SCIREX_MAX_WORDS = 80


def usable(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences of sane length (5 to ``SCIREX_MAX_WORDS`` words), in their order."""
    return [s for s in sentences if 5 <= len(s.words) <= SCIREX_MAX_WORDS]


def scirex_sample(sentences: list[Sentence], count: int, seed: int = 0) -> list[Sentence]:
    """``count`` SciREX sentences of sane length, 80% with entities and 20% without."""
    usable_sentences = usable(sentences)
    with_entities = [s for s in usable_sentences if s.spans]
    without = [s for s in usable_sentences if not s.spans]
    rng = random.Random(seed)
    n_empty = int(count * SCIREX_EMPTY_SHARE)
    picked = rng.sample(with_entities, min(count - n_empty, len(with_entities)))
    picked += rng.sample(without, min(n_empty, len(without)))
    return picked


def unlabelled_sample(sentences: list[Sentence], count: int, seed: int = 0) -> list[Sentence]:
    """``count`` SciREX sentences of sane length with their spans removed, for the teacher."""
    picked = usable(sentences)
    random.Random(seed).shuffle(picked)
    return [s._replace(spans=()) for s in picked[:count]]


def to_docs(nlp: spacy.Language, sentences: Iterable[Sentence]) -> Iterable[Doc]:
    """spaCy Docs on the corpus tokens; overlapping gold spans keep the longest."""
    for sentence in sentences:
        doc = Doc(nlp.vocab, words=list(sentence.words))
        spans = [Span(doc, start, end, label) for start, end, label in sentence.spans]
        doc.set_ents(filter_spans(spans))
        yield doc


def write(nlp: spacy.Language, sentences: list[Sentence], path: Path) -> None:
    """Save ``sentences`` as a DocBin at ``path``."""
    DocBin(docs=to_docs(nlp, sentences), store_user_data=False).to_disk(path)
    print(f"{path}: {len(sentences)} sentences")


def mapped(data: Path, corpus: str, split: str, mapping: Mapping[str, str]) -> list[Sentence]:
    """One corpus split with its labels mapped."""
    return list(relabel(load(data, corpus, split), mapping))


def main() -> None:
    """Build train/dev .spacy files for the 4-label and 6-label models, and raw text."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("training/corpus"))
    parser.add_argument("--scirex-sentences", type=int, default=4000)
    parser.add_argument("--pretrain-scirex-sentences", type=int, default=12000)
    parser.add_argument("--unlabelled-sentences", type=int, default=12000)
    args = parser.parse_args()
    (args.out / "train4").mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("en")
    scierc_train = mapped(args.data, "scierc", "train", SCIERC_TO_KG)
    tdmsci_train = mapped(args.data, "tdmsci", "train", TDMSCI_TO_KG)
    scirex_train = scirex_sample(
        mapped(args.data, "scirex", "train", SCIREX_TO_KG), args.scirex_sentences
    )
    write(nlp, scierc_train, args.out / "train4" / "scierc.spacy")
    write(nlp, tdmsci_train, args.out / "train4" / "tdmsci.spacy")
    write(nlp, scirex_train, args.out / "train4" / "scirex.spacy")
    dev4 = mapped(args.data, "scierc", "dev", SCIERC_TO_KG)
    dev4 += mapped(args.data, "tdmsci", "dev", TDMSCI_TO_KG)
    write(nlp, dev4, args.out / "dev4.spacy")
    write(nlp, mapped(args.data, "scierc", "train", SCIERC_IDENTITY), args.out / "train6.spacy")
    write(nlp, mapped(args.data, "scierc", "dev", SCIERC_IDENTITY), args.out / "dev6.spacy")
    abstracts = [*load(args.data, "scierc", "train"), *load(args.data, "tdmsci", "train")]
    papers = load(args.data, "scirex", "train")
    # Sentences for the transformer teachers to label (silver data for both students).
    write(nlp, unlabelled_sample(papers, args.unlabelled_sentences), args.out / "unlabelled.spacy")
    with open(args.out / "raw.txt", "w", encoding="utf-8") as handle:
        for sentence in abstracts + papers:
            handle.write(" ".join(sentence.words) + "\n")
    # Pretraining reads ~13k words a minute on a busy core: the abstracts and the first
    # SciREX sentences keep it to minutes.
    pretrain_text = abstracts + papers[: args.pretrain_scirex_sentences]
    with open(args.out / "raw.jsonl", "w", encoding="utf-8") as handle:
        for sentence in pretrain_text:
            handle.write(json.dumps({"text": " ".join(sentence.words)}) + "\n")
    print(f"raw text: {len(abstracts) + len(papers)} sentences, pretraining on {len(pretrain_text)}")


if __name__ == "__main__":
    main()
