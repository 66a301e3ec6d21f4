"""spaCy callbacks for `spacy train --code training/callbacks.py`."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from spacy.language import Language
from spacy.util import registry


@registry.callbacks("kg.load_pretrained_ner_tok2vec.v1")
def load_pretrained_ner_tok2vec(path: str | None) -> Callable[[Language], Language]:
    """After initialisation, load `training/pretrain.py` weights into the ner's own tok2vec.

    The ner model's ``tok2vec`` reference chains the embedded Tok2Vec with a projection;
    the pretrained weights belong to its first layer.  ``path=None`` leaves the weights random.
    """

    def load(nlp: Language) -> Language:
        if path:
            nlp.get_pipe("ner").model.get_ref("tok2vec").layers[0].from_bytes(
                Path(path).read_bytes()
            )
        return nlp

    return load
