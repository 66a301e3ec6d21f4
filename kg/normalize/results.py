"""One paper's result mentions -> typed results tied to entity ids, with canonical metrics.

A result's metric becomes the canonical metric entity (``kg.normalize.metrics``): "ImageNet
top-1" is top-1 accuracy measured on ImageNet, "accuracy" on ImageNet is top-1 accuracy, a
comparative ("2.4x faster") is a speedup.  A split or protocol written in the dataset or the
metric name ("COCO test-dev", "zero-shot top-1") becomes the result's setting.  Names no
entity of the paper holds become new entities.
"""
from __future__ import annotations

import hashlib

from kg.normalize.metrics import MetricName, canonical_metric, setting_of
from kg.normalize.names import clean_name, display_name, entity_id, is_generic, name_key
from kg.records import EntityRef, Evidence, Mention, Result, ResultMention

__all__ = ["COMPARATIVE_METRICS", "normalize_results"]

# A result whose sentence names no method is tied to the paper's proposed method, less surely.
_IMPLICIT_METHOD_FACTOR = 0.8
# The metric a comparative word measures ("2.4x faster" is a speedup).
COMPARATIVE_METRICS: dict[str, str] = {
    "faster": "speedup", "slower": "speedup", "smaller": "model size", "larger": "model size",
    "lighter": "model size", "cheaper": "FLOPs",
}


def normalize_results(
    paper_id: str,
    result_mentions: tuple[ResultMention, ...],
    entities: list[EntityRef],
    short_to_long: dict[str, str],
) -> tuple[list[Result], list[EntityRef]]:
    """Tie each reported number to entity ids; names no entity holds become new entities.

    Returns the results and the entities made for them (not among ``entities``).
    """
    entities_of = _PaperEntities(entities, short_to_long)
    proposed = sorted(e.id for e in entities if e.type == "Method" and e.role == "proposed")
    results = []
    for mention in result_mentions:
        confidence = mention.confidence
        dataset_text, dataset_setting = _dataset_and_setting(mention.dataset)
        metric = _metric_name(mention.metric, dataset_text) if not mention.dataset or \
            name_key(mention.metric or "") != name_key(mention.dataset) else None
        if dataset_text is None and metric is not None:
            dataset_text = metric.dataset
        method = entities_of.resolve(mention.method, "Method", mention)
        if method is None and len(proposed) == 1:
            method = proposed[0]
            confidence *= _IMPLICIT_METHOD_FACTOR
        metric_id = None
        if metric is not None:
            metric_id = entities_of.resolve(mention.metric, "Metric", mention, metric.canonical)
            if entities_of.names[metric_id] != metric.canonical:
                # the paper's entity is another metric than the one meant here ("accuracy"
                # on ImageNet is top-1 accuracy)
                metric_id = entities_of.named(metric.canonical, "Metric", mention)
        evidence = mention.evidence
        digest = hashlib.sha1(
            f"{paper_id}|{evidence.field}|{evidence.start}|{evidence.end}|{mention.value!r}".encode()
        ).hexdigest()[:16]
        results.append(
            Result(
                id=f"result/{digest}",
                method=method,
                dataset=entities_of.resolve(dataset_text, "Dataset", mention),
                metric=metric_id,
                value=mention.value,
                unit=mention.unit,
                text=evidence.text,
                evidence=evidence,
                confidence=round(confidence, 4),
                kind=mention.kind,
                setting=mention.setting or dataset_setting or (metric.setting if metric else None),
                baseline=mention.baseline,
            )
        )
    return results, [e for e in entities_of.extra.values() if e.id not in {x.id for x in entities}]


class _PaperEntities:
    """The entities of one paper by type and key, and the ones made for its results."""

    def __init__(self, entities: list[EntityRef], short_to_long: dict[str, str]) -> None:
        self.short_to_long = short_to_long
        self.index: dict[tuple[str, str], str] = {}
        self.names: dict[str, str] = {}
        self.extra: dict[str, EntityRef] = {}
        for entity in entities:
            self.names[entity.id] = entity.name
            for key in entity.keys:
                self.index.setdefault((entity.type, key), entity.id)

    def resolve(self, text: str | None, entity_type: str, mention: ResultMention,
                name: str | None = None) -> str | None:
        """The id of the entity ``text`` names; a new one (named ``name``, default the
        text) when none does."""
        if not text or is_generic(text):
            return None
        key = name_key(self.short_to_long.get(name_key(text), text))
        found = self.index.get((entity_type, key))
        if found is None:
            found = self.named(name or display_name(text), entity_type, mention, text)
            self.index[(entity_type, key)] = found
        return found

    def named(self, name: str, entity_type: str, mention: ResultMention,
              text: str | None = None) -> str:
        """The id of the entity called ``name``, made from the written ``text`` (default:
        ``name``) when the paper has none."""
        found = self.index.get((entity_type, name_key(name)))
        if found is not None:
            return found
        entity = _result_entity(text or name, name, entity_type, mention)
        self.extra.setdefault(entity.id, entity)
        self.names[entity.id] = entity.name
        for key in entity.keys:
            self.index.setdefault((entity_type, key), entity.id)
        return entity.id


def _metric_name(text: str | None, dataset: str | None) -> MetricName | None:
    """The canonical metric of a written metric (a comparative word as what it measures)."""
    if not text or is_generic(text):
        return None
    comparative = COMPARATIVE_METRICS.get(text.lower())
    if comparative is not None:
        return canonical_metric(comparative)
    if text.lower() in ("fewer", "shorter", "more", "less"):
        return None
    return canonical_metric(text, dataset)


def _dataset_and_setting(text: str | None) -> tuple[str | None, str | None]:
    """"COCO test-dev" -> ("COCO", "test-dev"), "MOT17 test set" -> ("MOT17", "test"); a
    dataset name without a split as it is."""
    if not text:
        return None, None
    words = text.split()
    if len(words) > 2 and words[-1].lower() in ("set", "split") and setting_of(words[-2]):
        words = words[:-1]
    if len(words) > 1 and setting_of(words[-1]):
        return " ".join(words[:-1]), setting_of(words[-1])
    return text, None


def _result_entity(text: str, name: str, entity_type: str, mention: ResultMention) -> EntityRef:
    """A new entity for a name a result uses: ``text`` as written, ``name`` its name.

    The written text is an alias (and a merge key) only when it names the entity on its own:
    "accuracy" written for top-1 accuracy on ImageNet is no alias of top-1 accuracy.
    """
    same = entity_type != "Metric" or canonical_metric(text).canonical == name
    sentence = mention.evidence.sentence
    offset = sentence.find(text)
    start = mention.evidence.sentence_start + max(offset, 0)
    evidence = Evidence(
        text=text if offset >= 0 else mention.evidence.text,
        field=mention.evidence.field,
        start=start if offset >= 0 else mention.evidence.start,
        end=start + len(text) if offset >= 0 else mention.evidence.end,
        sentence=sentence,
        sentence_start=mention.evidence.sentence_start,
        source="results",
    )
    return EntityRef(
        id=entity_id(entity_type, name),
        type=entity_type,
        name=name,
        aliases=tuple(a for a in [clean_name(text)] if a != name and same),
        keys=tuple(sorted({name_key(text), name_key(name)} if same else {name_key(name)})),
        role="used" if entity_type in ("Method", "Dataset") else None,
        confidence=round(mention.confidence * 0.9, 4),
        mentions=(Mention(entity_type, evidence, mention.confidence * 0.9),),
    )
