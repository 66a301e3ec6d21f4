"""Build the kg spaCy pipeline and stream papers through it as ``PaperMentions``."""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Literal

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import InputError, ModelError
from kg.extract import abbreviations, sentences, terms, urls  # noqa: F401  (registers the factories)
from kg.extract.casing import recased
from kg.extract.extensions import TEXT_KEY, register_extensions
from kg.extract.gemm import one_blas_thread, use_row_exact_ops
from kg.extract.greedy import decodable
from kg.extract.mentions import paper_mentions
from kg.extract.tokens import make_doc
from kg.extract.vectors import memoized
from kg.records import FIELDS, Paper, PaperMentions

__all__ = ["DEFAULT_CONFIG", "DEFAULT_MODEL", "extract", "extract_paper", "load_pipeline"]

DEFAULT_CONFIG = Path(__file__).with_name("pipeline.cfg")
DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "models" / "kg_ner"
# The trained components go before the gazetteer, so later rules see the NER's entities.
_MODEL_BEFORE = "kg_terms"


def load_pipeline(
    config: str | Path | None = None,
    *,
    model: str | Path | None | Literal["auto"] = "auto",
) -> Language:
    """The extraction pipeline: the rule components of ``config`` (kg's ``pipeline.cfg`` by
    default) with the trained NER ``model`` added before ``kg_terms``.

    ``model="auto"`` uses the NER shipped in ``kg/models/kg_ner`` when it is there, ``None``
    runs the rules only.  Pipelines are cached per process, so calling this again is free.
    Raises ``ModelError`` when the config or the model cannot be loaded.
    """
    config_path = Path(config) if config is not None else DEFAULT_CONFIG
    if model == "auto":
        model = DEFAULT_MODEL if DEFAULT_MODEL.is_dir() else None
    return _load_pipeline(str(config_path), str(model) if model is not None else None)


@lru_cache(maxsize=8)
def _load_pipeline(config_path: str, model_path: str | None) -> Language:
    register_extensions()
    try:
        nlp = spacy.util.load_model_from_config(spacy.util.load_config(config_path), auto_fill=True)
    except (OSError, ValueError, KeyError, ImportError) as error:
        raise ModelError(f"{config_path}: cannot build the extraction pipeline ({error})") from error
    if model_path is not None:
        _add_model(nlp, model_path)
    return nlp


def _add_model(nlp: Language, model_path: str) -> None:
    """Source every component of the trained pipeline at ``model_path`` into ``nlp``; a NER
    that ``kg.extract.greedy`` decodes runs as ``kg_ner`` (spaCy's component stays, disabled,
    holding the weights)."""
    try:
        trained = spacy.load(model_path)
    except (OSError, ValueError, KeyError, ImportError) as error:
        raise ModelError(f"{model_path}: cannot load the trained NER pipeline ({error})") from error
    if trained.vocab.vectors.shape[0]:
        # Components trained with static vectors read them from the vocab they run in.
        nlp.vocab.vectors = memoized(trained.vocab.vectors)
    before = _MODEL_BEFORE if _MODEL_BEFORE in nlp.pipe_names else None
    for name in trained.pipe_names:
        if name not in nlp.pipe_names:
            component = nlp.add_pipe(name, source=trained, before=before)
            if hasattr(component, "model"):
                use_row_exact_ops(component.model)
            if decodable(component):
                nlp.add_pipe("kg_ner", name=f"kg_{name}", after=name, config={"recognizer": name})
                nlp.disable_pipe(name)


def extract(
    papers: Iterable[Paper],
    *,
    nlp: Language | None = None,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> Iterator[PaperMentions]:
    """Stream ``papers`` through the pipeline, yielding one ``PaperMentions`` per paper in order.

    Title and abstract are two docs; docs are made lazily and at most one batch is held.
    ``progress`` is called with 1 after each paper.

    >>> paper = Paper(id="x:1", title="ResNet-50 on ImageNet", abstract="")
    >>> [m.text for m in next(extract([paper])).mentions]
    ['ResNet-50', 'ImageNet']
    """
    pipeline = nlp if nlp is not None else load_pipeline()
    pending: deque[Paper] = deque()

    def field_docs() -> Iterator[Doc]:
        for paper in papers:
            pending.append(paper)
            for field in FIELDS:
                text = paper.text(field)
                # a title in capitals is read in title case; offsets and evidence stay as written
                readable = (recased(text) if field == "title" else None) or text
                try:
                    doc = make_doc(pipeline, readable)
                except ValueError as error:
                    raise InputError(f"paper {paper.id}: cannot tokenise its {field}: {error}",
                                     paper.source_file or None, paper.source_line or None) from None
                doc._.kg_field = field
                doc.user_data[TEXT_KEY] = text  # what doc.text rebuilds from the tokens
                yield doc

    processed = pipeline.pipe(field_docs(), batch_size=batch_size)
    with one_blas_thread():
        for title_doc, abstract_doc in zip(processed, processed):
            found = paper_mentions(pending.popleft(), title_doc, abstract_doc)
            if progress is not None:
                progress(1)
            yield found


def extract_paper(paper: Paper, nlp: Language | None = None) -> PaperMentions:
    """Everything the pipeline finds in one paper."""
    return next(extract([paper], nlp=nlp))
