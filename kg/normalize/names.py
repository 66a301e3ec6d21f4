"""Canonical names: cleaning, singular forms, merge keys and slugs for entity names.

>>> name_key("Large Language Models")
'largelanguagemodel'
>>> name_key("CIFAR10") == name_key("CIFAR-10")
True
>>> display_name("the large language models (LLMs)")
'large language model'
>>> slugify("ViT-B/16")
'vit-b-16'
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

# Words that name a kind of thing, not a thing: alone (or with only modifiers from
# ``_EMPTY_MODIFIERS``) they never make an entity ("the proposed method", "our framework").
GENERIC_HEADS: frozenset[str] = frozenset(
    """
    method approach model framework dataset data system network algorithm technique architecture
    benchmark task metric baseline module pipeline scheme strategy procedure tool toolkit
    solution paradigm mechanism strategy variant version setting setup experiment evaluation
    result performance score measure analysis study work paper corpus collection set suite
    representation feature layer component design process formulation objective loss function
    technology application problem domain field area code implementation
    inference training learning prediction optimization
    classification detection segmentation generation recognition regression clustering
    compression quantization matching retrieval reasoning understanding estimation tracking
    parsing computation generalization gpu gpus cpu cpus tpu tpus net nets
    classifier parser detector regressor predictor
    """.split()
)
# Fields of research, not a method or task of their own; and settings of training, not a
# measure of its outcome ("learning rate" is no metric).
_FIELDS: frozenset[str] = frozenset(
    """natural language processing|nlp|computer vision|machine learning|deep learning|
    artificial intelligence|ai|ml|data science|pattern recognition|
    vision|language|speech|audio|robotics|graphics|
    learning rate|batch size|hyperparameter|hyper parameter""".replace("\n", "").replace("    ", "").split("|")
)
# Words after a field that still say only the field ("NLP tasks", "vision applications").
_FIELD_KINDS = frozenset("task problem application area domain field research community".split())
_EMPTY_MODIFIERS: frozenset[str] = frozenset(
    """
    a an the this that these those our their its his her my we proposed novel new existing
    previous prior standard conventional traditional current recent other various different
    several many multiple two three four five such same simple general generic popular common
    baseline base original full final resulting corresponding above following present given
    state-of-the-art sota strong competitive efficient effective powerful simple improved
    deep neural pretrained pre-trained single downstream upstream down stream
    key main core crucial important essential major critical central primary fundamental
    """.split()
)
# Words for the circumstances of a problem, not a problem ("semi-supervised setting",
# "Korean NLP research", "label scarcity").
_CIRCUMSTANCES: frozenset[str] = frozenset(
    "setting scenario regime issue research deployment scarcity community".split())
_KIND_OF_WAY: frozenset[str] = frozenset("method technique approach strategy scheme procedure component".split())
_PART_HEADS: frozenset[str] = frozenset("layer operation function map unit".split())
_PART_KINDS: frozenset[str] = frozenset(
    "pooling convolutional convolution embedding hidden output input activation linear feature "
    "dense recurrent".split())
# Parts every model of a family has: generic alone or with generic words.
_PARTS: frozenset[str] = frozenset("encoder decoder discriminator generator critic".split())
_LEADING_DETERMINERS = re.compile(r"^(?:(?:the|a|an|our|their|this|these|those|its)\s+)+", re.I)
_TRAILING_ACRONYM = re.compile(r"\s*[\(\[]\s*[^()\[\]]{1,20}\s*[\)\]]\s*$")
_EDGE_PUNCT = "\"'`“”‘’.,;:!?()[]{} \t\n"
_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NON_SLUG = re.compile(r"[^0-9a-z]+")
_ACRONYM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-./+&]*$")
# Endings that look plural but are not (corpus, analysis, class, ...).
_SAME_IN_PLURAL = frozenset({"news", "series", "species", "means"})
_NOT_PLURAL = re.compile(r"(?:ss|us|is|ys|ics|ous|sis|xis)$")
_MAX_SLUG = 80


# Names repeat within and across papers and these functions are pure: cached, bounded.
_CACHE_SIZE = 2**16


@lru_cache(maxsize=_CACHE_SIZE)
def clean_name(text: str) -> str:
    """Strip quotes, edge punctuation, leading determiners and a trailing "(ACRONYM)".

    >>> clean_name('"EvoPrompt".')
    'EvoPrompt'
    >>> clean_name("evolutionary algorithms (EAs)")
    'evolutionary algorithms'
    """
    return _strip_kind_word(written_name(text))


def written_name(text: str) -> str:
    """``clean_name`` keeping a trailing kind word: "the VQA dataset" -> "VQA dataset", the
    form as written, an alias of the entity named "VQA".

    >>> written_name("the VQA dataset."), clean_name("the VQA dataset.")
    ('VQA dataset', 'VQA')
    """
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub(" ", text).strip(" \t\n\"'`“”‘’.,;:!?")
    without_acronym = _TRAILING_ACRONYM.sub("", text)
    if without_acronym.strip(_EDGE_PUNCT):
        text = without_acronym.strip(_EDGE_PUNCT)
    return _LEADING_DETERMINERS.sub("", text).strip(_EDGE_PUNCT)


# "MMLU dataset", "EfficientNet architecture", "FlexiBERT model": the kind word after a
# name says what it is, it is not part of the name.
_KIND_WORDS: frozenset[str] = frozenset(
    "model models architecture architectures network networks framework frameworks dataset "
    "datasets benchmark benchmarks method methods algorithm algorithms system systems module "
    "modules approach approaches corpus variant variants".split()
)


def _strip_kind_word(text: str) -> str:
    name, sep, kind = text.rpartition(" ")
    if sep and kind in _KIND_WORDS and " " not in name and _looks_like_name(name):
        return name
    return text


def _looks_like_name(word: str) -> bool:
    """A token spelled like a name: an inner capital or a digit ("EfficientNet", "T5", "MMLU")."""
    return any(c.isupper() or c.isdigit() for c in word[1:]) and any(c.isalpha() for c in word)


def is_acronym(text: str) -> bool:
    """True for short all-capitals forms such as "LLM", "LLMs", "EAs", "OOCR", "PC-DARTS".

    >>> is_acronym("LLMs"), is_acronym("EvoPrompt"), is_acronym("BERT"), is_acronym("a")
    (True, False, True, False)
    """
    text = text.strip()
    if not 2 <= len(text) <= 12 or " " in text or not _ACRONYM.match(text):
        return False
    letters = [c for c in text if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    if upper < 2:
        return False
    # allow a plural "s" and one lower-case letter inside ("mAP", "LLMs", "GANs")
    return len(letters) - upper <= 1 or (len(letters) - upper == 2 and text.endswith("s"))


@lru_cache(maxsize=_CACHE_SIZE)
def singular_word(word: str) -> str:
    """The singular of one word when it is a regular plural; names are left alone.

    Only lower-case words ("models"), Title-case words ("Transformers") and plural
    acronyms ("LLMs") change; CamelCase names such as "AudioCaps" stay as written.

    >>> [singular_word(w) for w in ["models", "LLMs", "strategies", "AudioCaps", "corpus", "sizes", "boxes", "news"]]
    ['model', 'LLM', 'strategy', 'AudioCaps', 'corpus', 'size', 'box', 'news']
    """
    if len(word) < 3 or not word.endswith("s"):
        return word
    stem = word[:-1]
    if is_acronym(word) and (stem[-1].isupper() or stem[-1].isdigit()):
        return stem
    tail = word[1:]
    if not (word.islower() or (word[0].isupper() and tail.islower())):
        return word
    lower = word.lower()
    if len(word) < 4 or _NOT_PLURAL.search(lower) or lower in _SAME_IN_PLURAL:
        return word
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    return stem  # "sizes" -> "size", "prizes" -> "prize"


def singular_phrase(phrase: str) -> str:
    """Singularise the last word of a phrase ("large language models" -> "large language model")."""
    head, sep, last = phrase.rpartition(" ")
    return f"{head}{sep}{singular_word(last)}"


@lru_cache(maxsize=_CACHE_SIZE)
def display_name(text: str) -> str:
    """The name an entity is shown with: cleaned, a lower-case or acronym head noun singular.

    Capitalised words keep their number, since they are often names ("Natural Questions",
    "Stanford Cars", "Cityscapes").

    >>> display_name("pretrained models"), display_name("LLMs"), display_name("Stanford Cars")
    ('pretrained model', 'LLM', 'Stanford Cars')
    """
    head, sep, last = clean_name(text).rpartition(" ")
    if last.islower() or is_acronym(last):
        last = singular_word(last)
    return f"{head}{sep}{last}"


@lru_cache(maxsize=_CACHE_SIZE)
def name_key(text: str) -> str:
    """The merge key of a name: case, spacing, hyphens and plurals ignored."""
    singular = singular_phrase(clean_name(text))
    last = singular.rpartition(" ")[2]
    if last.endswith("s") and _looks_like_name(last[:-1]) and not _NOT_PLURAL.search(last.lower()):
        singular = singular[:-1]  # "FBNets", "ConvNeXts": plural CamelCase names
    folded = unicodedata.normalize("NFKC", singular).casefold()
    return _NON_ALNUM.sub("", folded)


# Who wrote a paper or where it ran is no method: affiliations (often glued in PDF text) and hardware.
_ORGANISATION = re.compile(r"(?:University|Institute|Laborator(?:y|ies)|Department|College|Academy)"
                           r"|\b(?:university|institute|laboratory|department)\b")
_HARDWARE = frozenset("gpu gpus cpu cpus tpu tpus".split())


@lru_cache(maxsize=_CACHE_SIZE)
def is_generic(text: str) -> bool:
    """True when a name is only generic words ("the proposed method", "existing datasets").

    >>> is_generic("our proposed framework"), is_generic("EvoPrompt"), is_generic("datasets")
    (True, False, True)
    >>> is_generic("CarnegieMellonUniversity"), is_generic("Tesla K40c GPUs"), is_generic("word representations")
    (True, True, True)
    >>> is_generic("neural encoder"), is_generic("encoder-decoder"), is_generic("transformer encoder")
    (True, False, False)
    >>> is_generic("semi-supervised settings"), is_generic("mode collapse issue"), is_generic("setting")
    (True, True, True)
    >>> is_generic("regularization method"), is_generic("pooling layers"), is_generic("stable embedding layer")
    (True, True, False)
    """
    words = [singular_word(w) for w in clean_name(text).lower().replace("-", " ").split()]
    if not words:
        return True
    if _ORGANISATION.search(text) or words[-1] in _HARDWARE:  # "CarnegieMellonUniversity", "Tesla K40c GPU"
        return True
    if len(words) == 2 and words[-1] in _KIND_OF_WAY and words[0].isalpha() and words[0] == words[0].lower():
        return True  # "regularization method", "boosting technique": a kind of way, no name
    if len(words) == 2 and words[-1] in _PART_HEADS and words[0] in _PART_KINDS:
        return True  # "pooling layer", "activation function", "feature map": every network's parts
    if len(words) > 1 and words[-1] in _CIRCUMSTANCES:
        return True  # "semi-supervised setting", "mode collapse issue": where, not what
    if len(words) == 2 and words[-1] == "representation" and words[0].isalpha():
        return True  # "word representation", "latent representation": what a model computes
    content = [w for w in words if w not in _EMPTY_MODIFIERS]
    while len(content) > 1 and content[-1] in _FIELD_KINDS:  # "computer vision tasks"
        content = content[:-1]
    if " ".join(content) in _FIELDS:
        return True
    if all(w in _EMPTY_MODIFIERS or w in GENERIC_HEADS for w in words):
        return True
    if "-" not in text and content and all(w in GENERIC_HEADS or w in _PARTS for w in content):
        return True  # "encoder", "neural encoder network", "discriminator" (not "encoder-decoder")
    key = _NON_ALNUM.sub("", " ".join(words))
    return len(key) < 2 or key.isdigit()


_FUNCTION_WORDS: frozenset[str] = frozenset(
    """
    of for and or with without in on at to from by via as than that which who whose is are was
    were be been being into onto over under between among across through per vs versus not
    """.split()
)


_GLUED_LENGTH = 25
_IDENTIFIER = re.compile(r"(?:arxiv|doi|isbn|issn|pmid|pmc)\s*:\s*\S+", re.IGNORECASE)


@lru_cache(maxsize=_CACHE_SIZE)
def is_well_formed(text: str) -> bool:
    """False for fragments a span tagger cuts badly: "closed-", "capabilities of", "(a".

    >>> [is_well_formed(t) for t in ["closed-", "capabilities of", "of LLMs", "ResNet-50", "(a"]]
    [False, False, False, True, False]
    >>> is_well_formed("arXiv:2103.00020")  # an identifier (a title stand-in), not a name
    False
    >>> is_well_formed("ComputationalIntelligenceandMachineLearning")
    False
    """
    name = clean_name(text)
    if not any(c.isalpha() for c in name) or name.endswith(("-", "/", "&")) or _IDENTIFIER.fullmatch(name):
        return False
    if any(len(word) >= _GLUED_LENGTH and word.isalpha() for word in name.split()):
        return False  # "ComputationalIntelligenceandMachineLearning": words a PDF lost the spaces of
    if text.count("(") != text.count(")") or text.count("[") != text.count("]"):
        return False
    words = name.lower().split()
    return words[0] not in _FUNCTION_WORDS and words[-1] not in _FUNCTION_WORDS


def slugify(text: str) -> str:
    """A readable, IRI-safe slug of a name; long names are cut and get a hash suffix."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = _NON_SLUG.sub("-", folded).strip("-")
    if not slug or len(slug) > _MAX_SLUG or slug != _NON_SLUG.sub("-", text.lower()).strip("-"):
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug[:_MAX_SLUG - 9].rstrip('-')}-{digest}" if slug else digest
    return slug


def entity_id(entity_type: str, name: str) -> str:
    """The stable node id of an entity: ``<type>/<slug of its display name>``.

    >>> entity_id("Method", "large language models")
    'method/large-language-model'
    """
    name = display_name(name)
    if " " in name:  # "Vision Transformers" -> vision-transformer; "Cityscapes" stays
        name = singular_phrase(name)
    return f"{entity_type.lower()}/{slugify(name)}"
