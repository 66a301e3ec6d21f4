"""What a sentence says a name is: "KLUE is a collection of ...", "X, a new benchmark for ...",
"the (TweetEval) benchmark", "Helix, a memory network".

The NER often types a new name by its position ("we propose X" makes a method); the words
the author puts right after it say what it is.  ``described_type`` reads them: the head noun
of an apposition or a copula ("X, a large-scale dataset of ...", "X is a benchmark ...") or
a kind word right after the name ("X benchmark", "(X) corpus").  Bounded patterns over the
text after the mention only, so the cost is linear in the sentence.

>>> described_type("We release KLUE, a benchmark of eight tasks.", 11, 15)
'Dataset'
>>> described_type("We propose Helix, a memory network for language modeling.", 11, 16)
'Method'
>>> described_type("We propose Helix for language modeling.", 11, 16) is None
True
"""
from __future__ import annotations

import re

__all__ = ["described_type", "evaluated_on"]

_WINDOW = 80
_KINDS = {
    "Dataset": r"dataset|datasets|benchmark|benchmarks|corpus|corpora|suite|collection|treebank"
               r"|resource|testbed|evaluation\s+(?:framework|suite|set)",
    "Method": r"model|models|network|networks|architecture|architectures|algorithm|algorithms",
}
_AFTER = {
    entity_type: re.compile(
        # "(KLUE) benchmark", "X dataset"
        rf"^\s*\)?\s*(?:{words})\b"
        # "X, a new large-scale benchmark", "X is a collection", "X, the first corpus"
        rf"|^\s*\)?\s*(?:,|\bis\b|\bare\b)\s*(?:a|an|the)\s+(?:[\w-]+\s+){{0,4}}?(?:{words})\b",
        re.IGNORECASE)
    for entity_type, words in _KINDS.items()
}


# "the curve text detection dataset CTW1500", "a new evaluation framework (TweetEval)":
# the kind word right before the name.
_BEFORE = {
    entity_type: re.compile(rf"\b(?:{words})\s*[(\"“]?\s*$", re.IGNORECASE)
    for entity_type, words in _KINDS.items()
}


def described_type(sentence: str, start: int, end: int) -> str | None:
    """The entity type the words after ``sentence[start:end]`` (or the kind word right before
    it) give the name, if any."""
    after = sentence[end:end + _WINDOW]
    found = [entity_type for entity_type, pattern in _AFTER.items() if pattern.search(after)]
    if not found:
        before = sentence[max(0, start - _WINDOW):start]
        found = [entity_type for entity_type, pattern in _BEFORE.items() if pattern.search(before)]
    return found[0] if len(found) == 1 else None


# "results on X", "state-of-the-art on X and Y": a name after "on" in a sentence that reports
# an evaluation is where something was evaluated; "based on X", "on top of X" are not.
_ON = re.compile(r"(?<!based )(?<!built )(?<!relies )(?<!rely )(?<!focus )(?<!depends )"
                 # "on X", "on X and Y", "on X, Y and Z" (a list ends in "and"/"or": "On X, Y
                 # achieves" is a phrase and its subject)
                 r"\b(?:on|across)\s+(?:the\s+)?(?:(?:[A-Za-z0-9'-]+,\s+)*[A-Za-z0-9'-]+,?\s+(?:and|or)\s+)?$",
                 re.IGNORECASE)
_EVALUATION = re.compile(r"\b(?:result|results|experiments?|evaluat\w*|benchmark\w*|accuracy|"
                         r"state[- ]of[- ]the[- ]art|outperform\w*|achiev\w*|report\w*|"
                         r"performance|scores?|tested)\b", re.IGNORECASE)


def evaluated_on(sentence: str, start: int) -> bool:
    """Whether the name at ``start`` follows "on" in a sentence that reports an evaluation.

    >>> evaluated_on("It achieves state-of-the-art results on NYUDv2 and SIFT Flow.", 51)
    True
    >>> evaluated_on("Our detector, built on ResNet, achieves 40 AP.", 22)
    False
    >>> evaluated_on("On ImageNet-1K, QuillFormer-B/16 achieves 84.6% top-1 accuracy.", 16)
    False
    """
    before = sentence[max(0, start - _WINDOW):start]
    return _ON.search(before) is not None and _EVALUATION.search(sentence) is not None
