"""Running kg's spaCy components on one text, shared by the component tests."""
from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.extensions import TERMS_KEY


def run_components(nlp, text: str, field: str = "abstract",
                   terms: tuple[tuple[str, str], ...] = ()) -> Doc:
    """Run every component of ``nlp`` on one field of a paper, with gazetteer spans set by hand."""
    doc = nlp.make_doc(text)
    doc._.kg_field = field
    spans = []
    for name, label in terms:
        start = text.index(name)
        spans.append(doc.char_span(start, start + len(name), label=label))
    doc.spans[TERMS_KEY] = spans
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc
