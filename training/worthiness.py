"""Train the node-worthiness model (``kg/models/node_worthiness.json``) from SciREX train.

Usage: .venv/bin/python training/worthiness.py [--data ../shared/data] [--out PATH]

kg's own extraction runs over the title and abstract of every SciREX train paper, and each
candidate entity it makes is labelled from SciREX's annotations of that paper:

- positive: one of its surface forms is a mention of a *salient* entity (SciREX links those to
  Papers with Code results: named methods, datasets, metrics and tasks), or it is an annotated
  entity span that is a known name (Papers with Code, SciREX train or curated lists) or is
  shaped like a name (an inner capital, a digit, an acronym: "ResNet-200", "SIFT Flow"), or
  is an established phrase: one the corpora's train splits annotate at least 20 times
  ("generative model", "data augmentation", "recurrent neural network"; the table
  ``kg/resources/established.tsv`` that ``scripts/build_resources`` writes), not generic;
- negative: candidates SciREX does not annotate at all, and annotated spans headed by a word
  SciERC train annotates as *Generic* ("method", "approach", "system", "model"...), i.e.
  descriptive phrases such as "probabilistic model" or "feature embedding module";
- other annotated spans (lower-case phrases of no known list) are left out as undecided.

A logistic model (L2, Adam on the full batch) is fitted on the features of
``kg.normalize.worthiness.entity_features``; its scores are calibrated by Platt scaling on
out-of-fold scores (5 folds by paper), so a probability of 0.8 means about 80% of such
candidates are positives.  The dev gold (``../shared/gold``) is never read here.
"""
from __future__ import annotations

import argparse
import csv
import json
import pickle
import re
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.evaluation.gold import norm  # noqa: E402
from kg.extract import extract, load_pipeline  # noqa: E402
from kg.normalize.entities import candidate_entities  # noqa: E402
from kg.normalize.names import singular_word  # noqa: E402
from kg.normalize.worthiness import MODEL_FILE, NodeModel, established_count, term_source  # noqa: E402
from kg.records import Paper  # noqa: E402

L2 = 1.0
TRUSTED_LISTS = frozenset({"curated", "scirex", "pwc"})
MIN_GENERIC_COUNT = 2
MIN_FEATURE_COUNT = 3
FOLDS = 5
# The keep threshold, chosen on the dev gold (a choice, not a fitted weight).
THRESHOLD = 0.2


def detokenize(words: list[str]) -> str:
    """Undo SciREX's tokenisation well enough for kg's tokenizer: ``CIFAR - 10 .`` -> ``CIFAR-10.``"""
    text = " ".join(words)
    text = re.sub(r" ([.,;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[]) ", r"\1", text)
    return re.sub(r" ?- ?", "-", text)


class Annotations(NamedTuple):
    """What SciREX annotates in one paper: salient surfaces, and every annotated surface."""

    salient: set[str]
    annotated: set[str]


def papers_and_labels(path: Path) -> tuple[list[Paper], list[Annotations]]:
    """SciREX papers (title + abstract) and their annotations (title and abstract only)."""
    papers, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        words, sections = doc["words"], doc["sections"]
        if len(sections) < 2:
            continue
        end = sections[1][1]
        annotated = {norm(detokenize(words[s:e])) for s, e, _ in doc["ner"] if e <= end}
        title = detokenize(words[sections[0][0]:sections[0][1]])
        body = words[sections[1][0]:sections[1][1]]
        if body and body[0].lower() == "abstract":
            body = body[1:]
        salient = {norm(detokenize(words[s:e])) for spans in doc["coref"].values() for s, e in spans}
        salient |= {norm(name.replace("_", " ")) for name in doc["coref"]}
        papers.append(Paper(id=f"scirex:{doc['doc_id'][:12]}", title=title, abstract=detokenize(body)))
        labels.append(Annotations(salient, annotated))
    return papers, labels


class Candidate(NamedTuple):
    paper: int
    features: dict[str, float]
    surfaces: frozenset[str]
    known: bool
    name: str


def candidates(papers: list[Paper]) -> list[Candidate]:
    """Every candidate entity kg's extraction makes in ``papers``, before any is dropped."""
    nlp = load_pipeline()
    out = []
    for index, mentions in enumerate(extract(papers, nlp=nlp)):
        for entity, features in candidate_entities(mentions):
            surfaces = {norm(f) for f in (entity.name, *entity.aliases)}
            surfaces |= {norm(m.evidence.text) for m in entity.mentions}
            canonical = next((m.canonical for m in entity.mentions if m.canonical), None)
            known = canonical is not None and term_source(canonical) in TRUSTED_LISTS
            out.append(Candidate(index, features, frozenset(surfaces), known,
                                 f"{entity.type}:{entity.name}"))
    return out


def generic_heads(path: Path) -> frozenset[str]:
    """Head words of the mentions SciERC train labels Generic ("method", "approach" ...)."""
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["label"] == "Generic" and row["source"] == "scierc":
                counts[singular_word(row["surface"].split()[-1].lower())] += int(row["count"])
    return frozenset(w for w, n in counts.items() if n >= MIN_GENERIC_COUNT and w.isalpha())


def named_shape(name: str) -> bool:
    """An inner capital, a digit or an acronym: "ResNet-200", "SIFT Flow", "BERT"."""
    return any(c.isdigit() for c in name) or any(
        any(c.isupper() for c in word[1:]) or (len(word) > 1 and word.isupper()) for word in name.split())


def label(candidate: Candidate, annotations: Annotations, generic: frozenset[str]) -> int | None:
    """1 when the candidate is a node, 0 when it is not, None when undecided (left out)."""
    surfaces = candidate.surfaces
    if surfaces & annotations.salient:
        return 1
    if not surfaces & annotations.annotated:
        return 0
    name = candidate.name.split(":", 1)[1]
    if candidate.known or named_shape(name) or any(established_count(s) for s in surfaces):
        return 1
    if singular_word(name.split()[-1].lower()) in generic:
        return 0
    return None


def design(rows: list[tuple[dict[str, float], int]]):
    counts = Counter(f for features, _ in rows for f in features)
    names = sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT)
    vocabulary = {f: i for i, f in enumerate(names)}
    x = np.zeros((len(rows), len(vocabulary)))
    for i, (features, _) in enumerate(rows):
        for f, v in features.items():
            j = vocabulary.get(f)
            if j is not None:
                x[i, j] = v
    y = np.array([y for _, y in rows], dtype=float)
    return x, y, vocabulary


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, iterations: int = 400,
                 rate: float = 0.1) -> np.ndarray:
    """L2-regularised logistic regression (mean log loss + l2/n * |w|^2 / 2) by full-batch Adam."""
    w = np.zeros(x.shape[1])
    first, second = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, iterations + 1):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = (x.T @ (p - y) + l2 * w) / len(y)
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient ** 2
        w -= rate * (first / (1 - 0.9 ** step)) / (np.sqrt(second / (1 - 0.999 ** step)) + 1e-8)
    return w


def fit_platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    x = np.column_stack([scores, np.ones_like(scores)])
    a, b = fit_logistic(x, y, 0.0, iterations=2000, rate=0.05)
    return float(a), float(b)


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    positives = y.sum()
    negatives = len(y) - positives
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "kg" / "models" / MODEL_FILE)
    parser.add_argument("--cache", type=Path, default=None,
                        help="Pickle of the candidates: read when it exists, else written "
                             "(saves re-running extraction while trying labels).")
    args = parser.parse_args()
    papers, annotations = papers_and_labels(args.data / "scirex" / "train.jsonl")
    if args.cache is not None and args.cache.exists():
        found = pickle.loads(args.cache.read_bytes())
    else:
        found = candidates(papers)
        if args.cache is not None:
            args.cache.parent.mkdir(parents=True, exist_ok=True)
            args.cache.write_bytes(pickle.dumps(found))
    mentions_table = args.data / "gazetteers" / "gold_train_mentions" / "gold_train_mentions.tsv"
    generic = generic_heads(mentions_table)
    labelled = [(c, label(c, annotations[c.paper], generic)) for c in found]
    labelled = [(c, y) for c, y in labelled if y is not None]
    rows = [(c.features, y) for c, y in labelled]
    x, y, vocabulary = design(rows)
    print(f"{len(papers)} papers, {len(rows)} candidates, {int(y.sum())} positive, "
          f"{len(vocabulary)} features")
    folds = np.array([c.paper % FOLDS for c, _ in labelled])
    out_of_fold = np.zeros(len(rows))
    for fold in range(FOLDS):
        train = folds != fold
        weights = fit_logistic(x[train], y[train], L2)
        out_of_fold[~train] = x[~train] @ weights
    a, b = fit_platt(out_of_fold, y)
    probability = 1.0 / (1.0 + np.exp(-(a * out_of_fold + b)))
    print(f"out-of-fold AUC {auc(out_of_fold, y):.3f}; calibration a={a:.3f} b={b:.3f}")
    print("calibration (out of fold): predicted -> observed positive rate, candidates")
    for low in np.arange(0.0, 1.0, 0.1):
        inside = (probability >= low) & (probability < low + 0.1)
        if inside.any():
            print(f"  {low:.1f}-{low + 0.1:.1f}: {y[inside].mean():.2f} ({int(inside.sum())})")
    kept = probability >= THRESHOLD
    print(f"at {THRESHOLD}: precision {y[kept].mean():.3f}, recall {y[kept].sum() / y.sum():.3f}")
    weights = fit_logistic(x, y, L2)
    names = sorted(vocabulary, key=vocabulary.get)
    model = NodeModel({n: round(float(w), 4) for n, w in zip(names, weights) if abs(w) >= 1e-4},
                      (round(a, 4), round(b, 4)), THRESHOLD)
    args.out.write_text(json.dumps(model.to_dict(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    top = sorted(model.weights.items(), key=lambda item: item[1])
    print("most negative:", ", ".join(f"{n} {w:.2f}" for n, w in top[:12]))
    print("most positive:", ", ".join(f"{n} {w:.2f}" for n, w in top[-12:]))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
