"""Evaluate trained NER models on the shared corpora and format the scores as a table."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, NamedTuple, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelError
from kg.evaluation.corpora import Sentence, load, relabel
from kg.evaluation.labels import (
    KG_LABELS,
    SCIER_TO_KG,
    SCIERC_IDENTITY,
    SCIERC_LABELS,
    SCIERC_TO_KG,
    TDMSCI_TO_KG,
)
from kg.evaluation.scoring import MICRO, score


class EvalSet(NamedTuple):
    """One scored corpus split: which model (``scierc6`` or ``kg``) and which labels."""

    name: str
    corpus: str
    split: str
    mapping: Mapping[str, str]
    labels: tuple[str, ...]
    model: str


def eval_sets(split: str) -> list[EvalSet]:
    """The corpus splits scored for ``split`` ("test" reports; "dev" guides choices).

    The 4-label sets are scored twice: the NER alone (``kg``) and kg's whole extraction
    (``pipeline``: NER, gazetteers and rule components merged into one set of mentions).
    """
    scier_labels = ("METHOD", "DATASET", "TASK")
    tdmsci_labels = ("DATASET", "METRIC", "TASK")
    four_label = [
        ("SciERC", "scierc", split, SCIERC_TO_KG, KG_LABELS, " (4 labels)"),
        ("TDMSci", "tdmsci", split, TDMSCI_TO_KG, tdmsci_labels, ""),
        ("SciER", "scier", split, SCIER_TO_KG, scier_labels, ""),
    ]
    if split == "test":
        four_label.append(("SciER", "scier", "test_ood", SCIER_TO_KG, scier_labels, ""))
    sets = [EvalSet(f"SciERC {split} (6 labels)", "scierc", split, SCIERC_IDENTITY,
                    SCIERC_LABELS, "scierc6")]
    for model, suffix in (("kg", ""), ("pipeline", ", kg extract")):
        sets.extend(EvalSet(f"{name} {part}{labels}{suffix}", corpus, part, mapping, names, model)
                    for name, corpus, part, mapping, names, labels in four_label)
    return sets


def load_model(path: str | Path) -> Language:
    """Load a spaCy pipeline from a directory, as a ``ModelError`` when it cannot be read."""
    try:
        return spacy.load(path)
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot load the spaCy model at {path}: {error}") from error


def predict_pipeline(nlp: Language, sentences: Sequence[Sentence]) -> list[Sentence]:
    """Run kg's whole extraction on each sentence (its gold tokens joined by spaces) and
    return the merged mentions as token spans with NER-style labels."""
    from kg.extract.mentions import resolve_spans

    def docs():
        for sentence in sentences:
            doc = Doc(nlp.vocab, words=list(sentence.words))
            doc._.kg_field = "abstract"
            yield doc

    predicted = []
    for sentence, doc in zip(sentences, nlp.pipe(docs(), batch_size=256)):
        spans = []
        for mention in resolve_spans(doc):
            span = doc.char_span(mention.evidence.start, mention.evidence.end)
            if span is not None:
                spans.append((span.start, span.end, mention.label.upper()))
        predicted.append(sentence._replace(spans=tuple(spans)))
    return predicted


def predict(nlp: Language, sentences: Sequence[Sentence]) -> list[Sentence]:
    """Run ``nlp`` on the gold tokens of each sentence and return its entities as spans."""
    docs = nlp.pipe((Doc(nlp.vocab, words=list(s.words)) for s in sentences), batch_size=256)
    return [
        sentence._replace(spans=tuple((ent.start, ent.end, ent.label_) for ent in doc.ents))
        for sentence, doc in zip(sentences, docs)
    ]


def run(
    model_path: str | Path,
    shared_data_dir: str | Path,
    *,
    scierc6_model_path: str | Path | None = None,
    split: str = "test",
) -> dict[str, Any]:
    """Score the kg NER model (and, if given, a 6-label SciERC model) on the shared corpora.

    Returns ``{"model": ..., "scierc6_model": ..., "split": ..., "sets": [{"name", "corpus",
    "split", "model", "sentences", "scores": {label: {p, r, f1, tp, fp, fn}, "micro": ...}}]}``;
    sets whose model is not given are left out.

    >>> results = run("kg/models/kg_ner", "../shared/data")  # doctest: +SKIP
    >>> print(format_table(results))  # doctest: +SKIP
    """
    from kg.extract import load_pipeline

    models = {"kg": load_model(model_path), "pipeline": load_pipeline(model=Path(model_path))}
    if scierc6_model_path is not None:
        models["scierc6"] = load_model(scierc6_model_path)
    results: list[dict[str, Any]] = []
    for eval_set in eval_sets(split):
        if eval_set.model not in models:
            continue
        gold = list(relabel(load(shared_data_dir, eval_set.corpus, eval_set.split),
                            eval_set.mapping))
        predicted = (predict_pipeline if eval_set.model == "pipeline" else predict)(
            models[eval_set.model], gold)
        results.append({
            "name": eval_set.name,
            "corpus": eval_set.corpus,
            "split": eval_set.split,
            "model": eval_set.model,
            "sentences": len(gold),
            "scores": score(gold, predicted, eval_set.labels),
        })
    return {
        "model": str(model_path),
        "scierc6_model": None if scierc6_model_path is None else str(scierc6_model_path),
        "split": split,
        "sets": results,
    }


def format_table(results: Mapping[str, Any]) -> str:
    """A plain-text table: one row per corpus split and label, then the micro average.

    >>> print(format_table({"sets": []}))
    corpus split           label                    P      R     F1   gold
    """
    width = max([24, *(len(e["name"]) + 2 for e in results["sets"])])
    header = f"{'corpus split':<{width}}{'label':<20}{'P':>6}{'R':>7}{'F1':>7}{'gold':>7}"
    lines = [header]
    for eval_set in results["sets"]:
        scores = eval_set["scores"]
        labels = [label for label in scores if label != MICRO] + [MICRO]
        for label in labels:
            row = scores[label]
            lines.append(
                f"{eval_set['name']:<{width}}{label:<20}{row['p']:>6.1f}{row['r']:>7.1f}"
                f"{row['f1']:>7.1f}{row['tp'] + row['fn']:>7}"
            )
    return "\n".join(lines)
