"""Mixed spans split into their parts: one mention per thing a graph node is made of.

Extractors often return a name inside a longer phrase: "COCO detection" (a dataset and a
task), "ImageNet top-1 accuracy" (a dataset and a metric), "RoBERTa pretraining", "Bi-LSTM
layer", "ReLU-family", "Transformer-based neural architecture".  ``split_mention`` cuts such a
mention into the name and the rest, each with its own evidence offsets:

- a known name or a name-shaped word (inner capital, digit, acronym) before "-based",
  "-family", "-style", "-like" ... is the name; the words after it are a mention of their own;
- a trailing kind word ("layer", "model", "architecture", "backbone" ...) after a known or
  name-shaped name goes, and so does a word of use ("method", "objective", "techniques",
  "baselines" ...) or a one-letter symbol ("generative model G") after any specific phrase;
- a leading known name of another type ("COCO", "ImageNet", "RoBERTa") becomes a mention of
  that type, and the rest keeps the mention's type (a Dataset mention's rest is a Task); a
  name before a task or metric phrase splits whatever its type, and is a dataset when it is
  not a known name ("Gigaword abstractive summarization" is Gigaword and the task
  abstractive summarization, "TabFact accuracy" the dataset TabFact and accuracy); "test
  set", "dev split" after a name go;
- a phrase ending in the head word of a research problem ("object detection", "textual
  entailment") or in "task(s)", "problem(s)" is a task whatever the NER calls it.

A mention that is itself a known name ("COCO Captions", "Swin Transformer") is kept whole,
with the type the gazetteer gives it when it is spelled like a name.

>>> from kg.records import Evidence, Mention
>>> text = "COCO detection"
>>> mention = Mention("Task", Evidence(text, "abstract", 0, len(text), text), 0.7)
>>> [(m.label, m.evidence.text) for m in split_mention(mention, {"coco": "Dataset"})]
[('Dataset', 'COCO'), ('Task', 'detection')]
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

from kg.normalize.metrics import is_metric_cut_off
from kg.normalize.names import is_generic, name_key
from kg.records import Evidence, Mention

__all__ = ["known_names", "name_shaped", "split_mention"]

_SUFFIXES = re.compile(
    r"-(?:based|family|style|like|type|inspired|driven|powered|enhanced|guided|variant|variants)\b"
    r"|(?<=\S) based\b(?= \S)",
    re.IGNORECASE)
_TRAILING_KIND = frozenset(
    "layer layers model models architecture architectures network networks module modules "
    "backbone backbones block blocks encoder encoders decoder decoders framework frameworks "
    "family setup variant variants system systems method methods approach approaches "
    "algorithm algorithms classifier classifiers".split())
# After a specific phrase these say it is a task: "face enhancement tasks", "scene
# understanding applications" are the tasks "face enhancement", "scene understanding".
_TASK_KIND = frozenset("task tasks problem problems application applications".split())
# Head words of research problems: a phrase ending in one names a task ("object detection",
# "textual entailment"), whatever the NER calls it; "logistic regression", "variational
# inference", "maximum likelihood estimation" end otherwise.
_TASK_HEADS = frozenset(
    "classification segmentation detection recognition translation summarization answering "
    "parsing tagging captioning forecasting entailment completion comprehension localization "
    "generation synthesis understanding".split())
# Heads of what a method is: a phrase ending in one is no task, whatever the NER says.
_METHOD_PHRASE_HEADS = frozenset(
    "model models network networks architecture architectures algorithm algorithms encoder "
    "encoders decoder decoders loss losses optimizer optimizers classifier classifiers layer "
    "layers mechanism mechanisms module modules transformer transformers".split())
# A kind word a phrase the corpora annotate may end in ("regression tasks").
_KIND_ENDING = re.compile(r"\s(?:tasks?|problems?|systems?|methods?|approach(?:es)?|models?|frameworks?)$",
                          re.IGNORECASE)
# After a capitalised name these only say it is data: "Visual Genome dataset", "Penn Treebank
# corpus" (a capitalised "Decomposable Attention Model" keeps its kind word: it is the name).
_DATA_KIND = frozenset("dataset datasets benchmark benchmarks corpus corpora suite".split())
# Words that say how a thing is used, not what it is: "online triplet mining method", "metric
# learning objective", "model compression techniques" name "online triplet mining", "metric
# learning", "model compression" whatever the words before them look like.
_USE_KIND = frozenset(
    "method methods approach approaches procedure procedures technique techniques strategy "
    "strategies objective objectives setup setups implementation implementations baseline "
    "baselines scheme schemes paradigm paradigms formulation formulations stage stages "
    "format formats operation operations pipeline pipelines mechanism mechanisms framework "
    "frameworks architecture architectures".split())
# After a phrase that already ends in what it is, these add nothing: "recursive neural network
# models", "contextual word embedding models".
_REPEATED_KIND = frozenset("model models architecture architectures framework frameworks".split())
_COMPLETE_HEADS = frozenset("network networks embedding embeddings encoder decoder transformer".split())
# A one-letter symbol after a name is the paper's variable: "generative model G".
_SYMBOL = re.compile(r"[A-Z]")
# A kind word and then a name: the name is the thing ("CNN model ConvNeXt").
_KIND_THEN_NAME = re.compile(r"\b(?:model|network|architecture|method|algorithm|dataset|benchmark|corpus)\s+"
                             r"(?P<name>\S+)$", re.IGNORECASE)
# Words of praise before a name say how good it is, not what it is.
_PRAISE = re.compile(r"(?:sota|state-of-the-art|state of the art|best|final|competitive|better|improved"
                     r"|superior|strong|good|higher|lower|excellent|remarkable|impressive)\s+", re.IGNORECASE)
# Lower-case words that describe a thing, not name it ("flexible adversarial training",
# "end-to-end acoustic modelling"); a capitalised "Simple Online Tracking" keeps its word.
_DESCRIPTIVE = re.compile(r"(?:simple|efficient|effective|powerful|flexible|unified|lightweight|novel|new"
                          r"|general|generic|standard|conventional|traditional|vanilla|end-to-end|existing"
                          r"|popular|original|typical|domain[- ]agnostic)\s+")
# A lower-case verb before a capitalised name, a past participle after a phrase: words the
# tagger took in ("equipping Generative Adversarial Networks", "multinomial logistic loss regularized").
_VERB_BEFORE_NAME = re.compile(r"[a-z]+ing\s+(?=[A-Z])")
_PARTICIPLE_AFTER = re.compile(r"\s+[a-z]{3,}(?<!bas)(?<!fix)(?<!need)(?<!speed)(?<!seed)ed$")
# A task and the data it is done on: "classification of MNIST", "segmentation on Cityscapes".
_TASK_ON_DATA = re.compile(r"(?P<task>.+?)\s+(?:of|on)\s+(?:the\s+)?(?P<data>\S+(?:\s\S+)?)")
_SPLIT_SUFFIX = re.compile(r"\s+(?:test|dev|development|validation|val|training|train)\s+(?:sets?|splits?)$",
                           re.IGNORECASE)
_LANGUAGE_PAIR = re.compile(r"[A-Z][a-z]+(?:-|–|→|↔|->)[A-Z][a-z]+")
_MAX_PREFIX_WORDS = 3
_SPLIT_LABELS = {"Dataset": "Task"}


@lru_cache(maxsize=1)
def known_names() -> dict[str, str]:
    """Name key -> entity type of the gazetteer's names of the curated lists, SciREX train and
    Papers with Code (not the corpora's annotated phrases, which are often descriptive)."""
    from kg.resources import load_terms

    known: dict[str, str] = {}
    for term in load_terms():
        if term.source != "gold":
            for name in (term.canonical, *term.aliases):
                known.setdefault(name_key(name), term.type)
    return known


def name_shaped(text: str) -> bool:
    """A digit or an inner capital in some word: "ResNet-200", "SIFT Flow", "NYUDv2"."""
    words = text.split()
    return any(any(c.isdigit() for c in w) or any(c.isupper() for c in w[1:]) for w in words) \
        and any(c.isalpha() for c in text)


def _is_name(text: str, known: Mapping[str, str]) -> bool:
    return name_key(text) in known or name_shaped(text)


def _specific(text: str) -> bool:
    """A phrase that can name a thing without the word after it: not generic, and more than
    one plain word ("online triplet mining", "self-attention", "Caffe"; not "hybrid")."""
    return not is_generic(text) and (" " in text or "-" in text or text[:1].isupper())


def _coined(word: str) -> bool:
    """A word nobody writes but as a name: a capital inside it (not only after a hyphen:
    "Long-Horizon" is a capitalised compound) or a digit with letters ("TabFact", "WMT'14")."""
    inner = any(c.isupper() and word[i - 1] not in "-/" for i, c in enumerate(word) if i > 0)
    return word[:1].isupper() and (inner or any(c.isdigit() for c in word))


def _capitalised(text: str) -> bool:
    return all(w[:1].isupper() or w[:1].isdigit() for w in text.split())


def _part(mention: Mention, start: int, end: int, label: str) -> Mention:
    """The sub-mention of ``mention`` at characters ``start:end`` of its text."""
    evidence = mention.evidence
    text = evidence.text[start:end]
    return replace(mention, label=label, evidence=replace(
        evidence, text=text, start=evidence.start + start, end=evidence.start + end),
        canonical=None)


def split_mention(mention: Mention, known: Mapping[str, str] | None = None) -> list[Mention]:
    """The parts of ``mention`` (itself alone when it is not a mixed span)."""
    if known is None:
        known = known_names()
    text = mention.evidence.text
    if mention.label == "Dataset" and is_metric_cut_off(text):  # "zero-shot top-1" is no data
        return [replace(mention, label="Metric")]
    verb = _VERB_BEFORE_NAME.match(text)
    if verb:  # "equipping Generative Adversarial Networks": the verb is no part of the name
        return split_mention(_part(mention, verb.end(), len(text), mention.label), known)
    participle = _PARTICIPLE_AFTER.search(text)
    if participle and len(text[:participle.start()].split()) >= 2:  # "logistic loss regularized"
        return split_mention(_part(mention, 0, participle.start(), mention.label), known)
    praise = _PRAISE.match(text)
    descriptive = _DESCRIPTIVE.match(text)
    if praise is None and descriptive and not is_generic(text[descriptive.end():]):
        praise = descriptive  # "flexible adversarial training"; "novel strategy" stays as written
    if praise and praise.end() < len(text):  # "SOTA perplexity", "flexible adversarial training"
        return split_mention(_part(mention, praise.end(), len(text), mention.label), known)
    named = _KIND_THEN_NAME.search(text)
    if named and name_shaped(named.group("name")):  # "CNN model ConvNeXt", "the dataset ImageNet-1K"
        return split_mention(_part(mention, named.start("name"), len(text), mention.label), known)
    evaluated = _TASK_ON_DATA.fullmatch(text)
    if evaluated and _task_phrase(evaluated.group("task"), words=1) and _is_data(evaluated.group("data"), known):
        # "classification of MNIST": the task and where it is done
        return [*split_mention(_part(mention, 0, evaluated.end("task"), "Task"), known),
                _part(mention, evaluated.start("data"), len(text), "Dataset")]
    split = _SPLIT_SUFFIX.search(text)
    if split and split.start() > 0:  # "CTB 5.1 test sets": the data is CTB 5.1
        return split_mention(_part(mention, 0, split.start(), mention.label), known)
    words = list(re.finditer(r"\S+", text))
    parts = _split_prefix(mention, words, known)
    if parts is not None:
        return parts
    if mention.canonical and (name_key(mention.canonical) in known or not _KIND_ENDING.search(text)):
        return [mention]  # a reviewed name; a phrase the corpora annotate may still end in a kind word
    known_type = known.get(name_key(text))
    if known_type is not None:
        # A known name spelled like one keeps its known type ("DocVQA" is a dataset whatever
        # the NER says); a known phrase ("large language models") may name several things.
        data_word = mention.label == "Dataset" and words[-1].group().lower() in _DATA_KIND  # "VQA dataset"
        if known_type != mention.label and not data_word \
                and (name_shaped(text) or known_type == "Task" and _task_phrase(text)):
            return [replace(mention, label=known_type)]
        return [mention]
    if " " not in text and "-" not in text:
        return [mention]
    suffix = _SUFFIXES.search(text)
    if suffix and _is_name(text[:suffix.start()], known):
        parts = [_part(mention, 0, suffix.start(), known.get(name_key(text[:suffix.start()]),
                                                             mention.label))]
        rest = text[suffix.end():]
        offset = suffix.end() + len(rest) - len(rest.lstrip())
        if rest.strip():
            parts.append(_part(mention, offset, len(text.rstrip()), mention.label))
        return parts
    parts = _without_kind_word(mention, words, known)
    if parts is not None:
        return parts
    if mention.label == "Method" and _task_phrase(text) and not name_shaped(text):
        return [replace(mention, label="Task")]
    if mention.label == "Task" and _method_phrase(text, known):
        return [replace(mention, label="Method")]
    return [mention]


def _split_prefix(mention: Mention, words: list[re.Match[str]], known: Mapping[str, str]) -> list[Mention] | None:
    """A leading name of another type, or the data before a task or metric phrase, and the
    rest ("COCO detection", "TabFact accuracy"); None when the mention starts with none."""
    text = mention.evidence.text
    whole_known = bool(mention.canonical) or name_key(text) in known
    for count in range(min(_MAX_PREFIX_WORDS, len(words) - 1), 0, -1):
        if count < len(words) - 1 and _LANGUAGE_PAIR.fullmatch(words[count].group()):
            continue  # "WMT'14 English-French translation": the pair belongs to the data
        prefix = text[:words[count - 1].end()]
        if _SUFFIXES.search(prefix):  # "ResNet-50-based detection head": read by the caller
            continue
        prefix_type = known.get(name_key(prefix))
        if not (name_shaped(prefix) or prefix_type == "Dataset" and _capitalised(prefix)):
            continue
        rest = text[words[count].start():]
        if mention.label == "Dataset" and rest.lower() in _DATA_KIND:
            return None  # "VQA dataset" is the VQA data, though VQA also names the task
        rest_known = known.get(name_key(rest))
        # a known rest keeps its type ("RoBERTa pretraining": pre-training is a method)
        rest_type = None if whole_known else rest_known if rest_known in ("Method", "Metric") \
            else "Task" if _task_phrase(rest, words=1) else None
        if prefix_type is None and rest_type is not None and _coined(words[0].group()) \
                and all(_LANGUAGE_PAIR.fullmatch(w.group()) for w in words[1:count]) and rest == rest.lower():
            # A coined word before a task or a metric is its data: "TabFact accuracy"; a
            # Title-Case title ("Low-Latency Machine Translation") is no such thing.
            prefix_type = "Dataset"
        if prefix_type is not None and (prefix_type != mention.label or rest_type and prefix_type == "Dataset"):
            rest_label = rest_type or _SPLIT_LABELS.get(mention.label, mention.label)
            return [_part(mention, 0, words[count - 1].end(), prefix_type),
                    _part(mention, words[count].start(), len(text), rest_label)]
    return None


def _without_kind_word(mention: Mention, words: list[re.Match[str]], known: Mapping[str, str]) -> list[Mention] | None:
    """The mention without a trailing kind word, word of use or symbol ("Bi-LSTM layer",
    "online triplet mining method", "generative model G"); None when it ends in none."""
    text = mention.evidence.text
    last = words[-1].group() if len(words) >= 2 else ""
    kind, symbol = last.lower(), _SYMBOL.fullmatch(last) is not None
    if not (kind in _TRAILING_KIND or kind in _DATA_KIND or kind in _USE_KIND or kind in _TASK_KIND or symbol):
        return None
    if len(words) > 2 and words[-2].group().lower() == "based":  # "gradient descent based mechanism"
        words = words[:-1]
    head = text[:words[-2].end()]
    specific = (kind in _USE_KIND or kind in _TASK_KIND or symbol) and _specific(head) \
        or kind in _REPEATED_KIND and words[-2].group().lower() in _COMPLETE_HEADS and len(words) > 2
    if not (specific or _is_name(head, known) or kind in _DATA_KIND and _capitalised(head)):
        return None
    if kind in _TASK_KIND:  # a "pre-training task" is the objective of a method
        label = "Method" if _ends_in_method(head, known) else "Task"
    elif kind in _METHOD_PHRASE_HEADS and mention.label == "Task":  # "sequence-to-sequence model"
        label = "Method"
    elif _task_phrase(head) and mention.label == "Method":
        label = "Task"
    else:
        label = mention.label
    return [_part(mention, 0, words[-2].end(), label)]


def _is_data(text: str, known: Mapping[str, str]) -> bool:
    """A dataset's name: listed as one, or spelled like a name and not listed as anything else."""
    listed = known.get(name_key(text))
    return listed == "Dataset" or listed is None and name_shaped(text)


def _method_phrase(text: str, known: Mapping[str, str]) -> bool:
    """Whether ``text`` ends in what a method is ("sequence-to-sequence model") or in a known
    method word ("self-supervised pre-training"): no problem is named so."""
    split = text.lower().split()
    return len(split) >= 2 and (split[-1] in _METHOD_PHRASE_HEADS or _ends_in_method(text, known))


def _ends_in_method(text: str, known: Mapping[str, str]) -> bool:
    """Whether the last word of ``text`` is a listed method ("pre-training") and ``text`` is no
    listed task."""
    return known.get(name_key(text.split()[-1])) == "Method" and known.get(name_key(text)) != "Task"


def _task_phrase(text: str, words: int = 2) -> bool:
    """Whether ``text`` (of at least ``words`` words) ends in the head word of a research
    problem ("object detection")."""
    split = text.lower().split()
    return len(split) >= words and split[-1] in _TASK_HEADS
