"""The ``kg_ner`` component: the trained NER's transitions decoded for all tokens at once.

spaCy's ``EntityRecognizer`` picks one transition (B, I, L, U or O of a label) per token, for
every doc of a batch in step, in a compiled loop that takes the GIL at each check of a move's
validity (Cython 3's exception checks in ``nogil`` code): the loop was 35% of the NER's time
on abstracts, the tok2vec most of the rest.  Its greedy choice needs no such loop.  A state's
features (``extra_state_tokens = false``: three) are the token in front of the buffer, the first
token of the open entity and the token before the front, the last two the model's padding when
no entity is open.  So:

* every token gets its scores *outside* an entity from itself alone, in one product for the
  whole batch, and its best valid move there (B, U or O);
* every token whose best outside move is B may start an entity: the tokens after it get their
  scores *inside* that entity (they depend on the start and the token only), in products for
  all the starts at once, and their best valid move there (I or L of the start's label);
* one walk over each doc's B and U tokens then follows the states the loop would go through.

The numbers are the loop's: the same tok2vec and lower layer (on the model's ops), the sums of
the three features and the bias in the loop's order, the output layer on blis as in the loop,
the same valid moves (an entity starts on no space and ends before a sentence break and at the
doc's end) and the same tie rule (the first of equal best moves).  A doc with entities set
before the NER (preset, blocked or missing tokens), and a model this decoding does not fit (a
beam, other state features, no output layer, classes the training never saw) go through
spaCy's own loop.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span
from spacy.util import minibatch
from thinc.api import Model, NumpyOps

__all__ = ["GreedyNER", "Moves", "decodable", "make_greedy_ner"]

# Tokens after a possible entity start scored at once; longer entities take more rounds.
INSIDE_WINDOW = 8
# Docs run through the tok2vec at once: small batches keep its activations in the CPU's
# caches (16 docs ran the NER 1.3x faster than 64 here; spaCy's loop also takes 16 of 64).
DOCS_AT_ONCE = 16
_STATE_FEATURES = 3
_BLIS = NumpyOps()  # the output layer's product as spaCy's loop computes it (blis)


@dataclass(frozen=True)
class Moves:
    """The recognizer's classes by kind: ``begin``, ``unit`` and ``out`` masks over the
    classes, the label of each class (``""`` for O and the blocked U), and for each label
    index the class of its I and L moves."""

    begin: np.ndarray
    unit: np.ndarray
    out: np.ndarray
    labels: tuple[str, ...]
    label_index: np.ndarray
    inside: np.ndarray
    last: np.ndarray

    @classmethod
    def of(cls, recognizer: EntityRecognizer) -> Moves | None:
        """The moves of ``recognizer``, None when its classes are not BILUO ones."""
        names = [recognizer.moves.get_class_name(i) for i in range(recognizer.moves.n_moves)]
        kinds = [name.split("-", 1)[0] for name in names]
        labels = tuple(name.split("-", 1)[1] if "-" in name else "" for name in names)
        if not set(kinds) <= {"B", "I", "L", "U", "O"}:
            return None
        named = sorted({label for label in labels if label})
        index = np.array([named.index(label) if label else -1 for label in labels])
        kind = np.array(kinds)
        classes = {k: [np.flatnonzero((kind == k) & (index == i)) for i in range(len(named))] for k in "BILU"}
        if any(len(found) != 1 for per_kind in classes.values() for found in per_kind):
            return None
        return cls(begin=(kind == "B") & (index >= 0), unit=(kind == "U") & (index >= 0), out=kind == "O",
                   labels=labels, label_index=index,
                   inside=np.array([found[0] for found in classes["I"]], dtype=np.intp),
                   last=np.array([found[0] for found in classes["L"]], dtype=np.intp))


def decodable(recognizer: object) -> bool:
    """Whether ``GreedyNER`` decodes ``recognizer`` itself (else it hands docs to it)."""
    return _decoded_moves(recognizer) is not None


def _decoded_moves(recognizer: object) -> Moves | None:
    """The moves of ``recognizer`` when ``GreedyNER`` decodes it, else None."""
    if not isinstance(recognizer, EntityRecognizer) or recognizer.cfg.get("beam_width", 1) != 1:
        return None
    model = recognizer.model
    if not model.attrs.get("has_upper", False) or model.attrs.get("unseen_classes"):
        return None
    lower = model.get_ref("lower")
    if not lower.has_dim("nF") or lower.get_dim("nF") != _STATE_FEATURES:
        return None
    return Moves.of(recognizer)


class GreedyNER:
    """Sets ``doc.ents`` to the entities that ``recognizer``'s greedy loop finds, decoded here."""

    def __init__(self, recognizer: EntityRecognizer) -> None:
        self.recognizer = recognizer
        self._moves = _decoded_moves(recognizer)

    @property
    def model(self) -> Model:
        return self.recognizer.model

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """The docs, annotated ``DOCS_AT_ONCE`` at a time (``batch_size``, which spaCy passes,
        changes no entity)."""
        for part in minibatch(docs, size=DOCS_AT_ONCE):
            self._annotate(part)
            yield from part

    def _annotate(self, docs: list[Doc]) -> None:
        preset = [self._moves is None or doc.has_annotation("ENT_IOB") for doc in docs]
        mine = [doc for doc, given in zip(docs, preset) if not given]
        theirs = [doc for doc, given in zip(docs, preset) if given]
        if mine:
            for doc, found in zip(mine, self.entities(mine), strict=True):
                doc.set_ents([Span(doc, start, end, label=label) for start, end, label in found],
                             default="outside")
        if theirs:
            self.recognizer.set_annotations(theirs, self.recognizer.predict(theirs))

    def entities(self, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
        """Each doc's entities as (start token, end token, label), in order."""
        moves = self._moves
        assert moves is not None
        lengths = np.array([len(doc) for doc in docs], dtype=np.intp)
        found: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        if not lengths.sum():
            return found
        tokens = _Tokens.of(docs, lengths)
        features = self.model.get_ref("lower").predict(self.model.get_ref("tok2vec").predict(docs))
        choice = self._outside_choices(features, tokens)
        ends = self._entity_ends(features, tokens, np.flatnonzero(moves.begin[choice]), choice)
        labels, unit, out = moves.labels, moves.unit, moves.out
        cursor = 0
        for token, doc in zip(*tokens.of_moves(~out[choice])):
            if token < cursor:  # inside an entity already chosen
                continue
            move = int(choice[token])
            cursor = token + 1 if unit[move] else ends[token]
            offset = int(tokens.starts[doc])
            found[doc].append((token - offset, cursor - offset, labels[move]))
        return found

    def _scores(self, summed: np.ndarray) -> np.ndarray:
        """The output layer's scores of states whose features and bias are ``summed``
        (states x hidden x pieces): maxout, then the product on blis and the bias."""
        hidden = summed.max(axis=-1) if summed.shape[-1] != 2 else np.maximum(summed[..., 0], summed[..., 1])
        upper = self.model.get_ref("upper")
        scores = _BLIS.gemm(np.ascontiguousarray(hidden), upper.get_param("W"), trans2=True)
        scores += upper.get_param("b")
        return scores

    def _outside_choices(self, features: np.ndarray, tokens: _Tokens) -> np.ndarray:
        """Each token's best valid move when no entity is open (B, U or O)."""
        moves = self._moves
        assert moves is not None
        padding = features[0]
        summed = features[1:, 0] + padding[1]
        summed += padding[2]
        summed += self.model.get_ref("lower").get_param("b")
        scores = self._scores(summed)
        valid = np.zeros(scores.shape, dtype=bool)
        valid[:, moves.out] = True
        valid[:, moves.unit] = ~tokens.space[:, None]
        valid[:, moves.begin] = (~tokens.space & tokens.may_continue)[:, None]
        return np.where(valid, scores, -np.inf).argmax(axis=1)

    def _entity_ends(self, features: np.ndarray, tokens: _Tokens, starts: np.ndarray,
                     choice: np.ndarray) -> dict[int, int]:
        """For each possible entity start (a token whose best outside move is B), the token
        after the entity's last one: the first token after the start whose best move inside
        the entity is L (an I is valid only where the entity may go on)."""
        moves = self._moves
        assert moves is not None
        bias = self.model.get_ref("lower").get_param("b")
        labels = moves.label_index[choice[starts]]
        ends: dict[int, int] = {}
        after = 1
        while starts.size:
            steps = np.arange(after, after + INSIDE_WINDOW)
            token = starts[:, None] + steps[None, :]
            within = token < tokens.doc_end[starts][:, None]
            rows, columns = np.nonzero(within)
            at, start, label = token[rows, columns], starts[rows], labels[rows]
            summed = features[at + 1, 0] + features[start + 1, 1]
            summed += features[at, 2]
            summed += bias
            scores = self._scores(summed)
            picked = np.arange(len(at))
            inside, last = scores[picked, moves.inside[label]], scores[picked, moves.last[label]]
            # of equal scores the move of the lower class wins (the loop's strict comparison)
            goes_on = tokens.may_continue[at] & np.where(moves.inside[label] < moves.last[label],
                                                         inside >= last, inside > last)
            closes = np.zeros(token.shape, dtype=bool)
            closes[rows, columns] = ~goes_on
            closed = closes.any(axis=1)
            for begin, step in zip(starts[closed].tolist(), closes[closed].argmax(axis=1).tolist()):
                ends[begin] = begin + after + step + 1
            starts, labels = starts[~closed], labels[~closed]
            after += INSIDE_WINDOW
        return ends


@dataclass(frozen=True)
class _Tokens:
    """The batch's tokens, numbered across its docs: where each doc starts, where each
    token's doc ends, which tokens are spaces and after which an entity may go on (not the
    doc's last token, nor one before a sentence start)."""

    starts: np.ndarray
    doc_end: np.ndarray
    space: np.ndarray
    may_continue: np.ndarray

    @classmethod
    def of(cls, docs: list[Doc], lengths: np.ndarray) -> _Tokens:
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.intp)
        filled = [doc for doc in docs if len(doc)]
        sentence_start = np.concatenate([doc.to_array("SENT_START") for doc in filled]) == 1
        space = np.concatenate([doc.to_array("IS_SPACE") for doc in filled]).astype(bool)
        doc_end = np.repeat(starts + lengths, lengths)
        may_continue = np.zeros(len(space), dtype=bool)
        may_continue[:-1] = ~sentence_start[1:]
        may_continue[doc_end - 1] = False
        return cls(starts, doc_end, space, may_continue)

    def of_moves(self, mask: np.ndarray) -> tuple[list[int], list[int]]:
        """The tokens where ``mask`` holds, in order, and the index of each one's doc."""
        tokens = np.flatnonzero(mask)
        return tokens.tolist(), (np.searchsorted(self.starts, tokens, side="right") - 1).tolist()


@Language.factory("kg_ner", default_config={"recognizer": "ner"})
def make_greedy_ner(nlp: Language, name: str, recognizer: str) -> GreedyNER:
    """The ``kg_ner`` component, decoding the pipeline's component ``recognizer``."""
    return GreedyNER(nlp.get_pipe(recognizer))
