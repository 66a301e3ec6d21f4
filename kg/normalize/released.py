"""What a paper releases under its own name: the repository it gives for its code and models.

"We release our code and pre-trained model weights at https://github.com/OpenAI/CLIP" names
the paper's model even when the abstract never writes "CLIP" elsewhere: the repository of the
code *and the models* a paper releases carries the name of what it proposes (the guideline:
the paper introduces it).  The name is read only when it is one coined word ("CLIP",
"ALBERT", "UniRepLKNet", "PC-DARTS"; not "Table-Pretraining", "tsfm" or "AAAI2023-PVD") and
the sentence releases code with models, weights or checkpoints (a repository of "code for
our experiments" is named after the project, not a method).  A repository of a dataset the
sentence releases ("the dataset is available at ...") names an introduced dataset.  When the
paper also writes the name as a mention, that mention's type wins (``kg.normalize.entities``
merges them).

>>> [m.text for m in released_mentions(_example("We release our code and models at github.com/a/CLIP."))]
['CLIP']
>>> released_mentions(_example("Code for our experiments: github.com/a/TP4."))
[]
"""
from __future__ import annotations

import re
from dataclasses import replace

from kg.normalize.names import name_key
from kg.records import Evidence, Link, Mention, Paper, PaperMentions

__all__ = ["released_mentions"]

# The confidence of a name read from a released repository (as a "we propose X" name).
CONFIDENCE = 0.75
# The paper's own release: "our code", "code ... available", "we release", "open-source".
_RELEASE = re.compile(r"\b(?:our|we\s+(?:\w+\s+)?(?:release|open-source|make|provide|publish)\w*"
                      r"|available|released|open-sourced?|publicly|can\s+be\s+found|found\s+(?:at|in))\b",
                      re.IGNORECASE)
_CODE = re.compile(r"\b(?:code|codes|implementation|source)\b", re.IGNORECASE)
_MODELS = re.compile(r"\b(?:models?|weights|checkpoints?)\b", re.IGNORECASE)
_DATA = re.compile(r"\b(?:dataset|datasets|data|benchmark|corpus|corpora)\b", re.IGNORECASE)
# What somebody else's repository is introduced by: "integrated into", "based on", "built on".
_ELSEWHERE = re.compile(r"\b(?:integrated|based\s+on|built\s+(?:on|upon)|using|uses|from)\b", re.IGNORECASE)
# One word, its parts joined by hyphens ("PC-DARTS"); no year or venue ("AAAI2023-PVD").
_ONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)?")
_YEAR = re.compile(r"(?:19|20)\d\d")


def released_mentions(paper_mentions: PaperMentions) -> list[Mention]:
    """A mention (role proposed or introduced) for each repository the paper releases its own
    models or data under, named by a coined word."""
    written = {name_key(m.text): m.label for m in paper_mentions.mentions}
    found = []
    for link in paper_mentions.links:
        mention = _released(link)
        if mention is not None:
            label = written.get(name_key(mention.text), mention.label)
            found.append(replace(mention, label=label) if label != mention.label else mention)
    return found


def _released(link: Link) -> Mention | None:
    if not link.repository:
        return None
    evidence = link.evidence
    name = link.url.rstrip("/").rsplit("/", 1)[-1]
    if not _coined_name(name):
        return None
    sentence = evidence.sentence
    before = sentence[:evidence.start - evidence.sentence_start]
    if not _RELEASE.search(sentence) or _ELSEWHERE.search(before):
        return None
    if _CODE.search(sentence) and _MODELS.search(sentence):
        label, role = "Method", "proposed"
    elif _DATA.search(sentence) and not _CODE.search(sentence):
        label, role = "Dataset", "introduced"
    else:
        return None
    # The name as written (the normalised URL may differ in case or lose ".git").
    start = evidence.text.casefold().rfind(name.casefold())
    if start < 0:
        return None
    name = evidence.text[start:start + len(name)]
    start += evidence.start
    return Mention(
        label=label,
        evidence=Evidence(
            text=name,
            field=evidence.field,
            start=start,
            end=start + len(name),
            sentence=sentence,
            sentence_start=evidence.sentence_start,
            source="repository",
        ),
        confidence=CONFIDENCE,
        role=role,
    )


def _coined_name(name: str) -> bool:
    """"CLIP", "UniRepLKNet", "PC-DARTS": one word a researcher writes only as a name (a
    capital inside a word, not only after a hyphen, or a digit; "Table-Pretraining" is two
    words)."""
    if not _ONE_NAME.fullmatch(name) or _YEAR.search(name):
        return False
    inner = any(c.isupper() and name[i - 1] != "-" for i, c in enumerate(name) if i > 0)
    return inner or any(c.isdigit() for c in name)


def _example(abstract: str) -> PaperMentions:
    """A paper whose only link is the first repository URL of ``abstract`` (for the examples)."""
    from kg.normalize.urls import find_urls, normalize_url

    start, end, written = next(iter(find_urls(abstract)))
    url, repository = normalize_url(written)
    evidence = Evidence(written, "abstract", start, end, abstract, 0, "urls")
    return PaperMentions(paper=Paper(id="example", title="", abstract=abstract),
                         links=(Link(url, repository, evidence),))
