"""Roles from the sentence of a mention: what the paper itself proposes or introduces.

``kg_proposed`` finds a paper's headline method ("we propose X", "X: A ..." titles).  A paper
often proposes more: the named parts it adds ("we further propose a compact channel attention
mechanism"), several objects of one verb ("we introduce X and Y"), its own variants.  A
mention is proposed here when its sentence puts it in the object of a proposing verb whose
subject is the paper (also "we use ... and propose X"; not "we propose equipping X"), right
after a naming word ("dubbed X", "called X", "we refer to our ... as X") unless it "has been
introduced" before, "our" before a name ("our “DeepLab” system"), "the proposed X" or "a novel
X", before a passive "is proposed", or in the title (the guideline: "title names it") unless
the title puts it after "using", "via", "on", "of" ... or after a verb that opens it
("Unifying X and Y"), or it is a plain word or a field there ("Grammar as ...").  A name a
reviewed list holds is not proposed by a title or "our" alone ("Effective LSTMs for ...").
Bounded patterns over the text near the mention only, so the cost is linear in the sentence.

>>> proposed_in_sentence("We further propose a compact channel attention mechanism.", 27)
True
>>> proposed_in_sentence("We propose a method based on the Transformer.", 32)
False
"""
from __future__ import annotations

import re

__all__ = ["is_variant", "modifies_head", "proposed_in_sentence"]

# The window before a mention that is read (characters): the object of a verb is near it.
_WINDOW = 160
_VERB = (r"(?:propose|proposes|introduce|introduces|present|presents|develop|develops|design"
         r"|designs|devise|devises|contribute|contributes|release|releases)")
_SUBJECT = r"(?:we|this\s+(?:paper|work|study|article)|the\s+(?:paper|work))"
# The subject, at most a few adverbs ("further", "also"), the verb, then the object up to the
# mention with no word that starts a clause about something else.
_ADVERBS = (r"(?:[a-z]+ly\s+|further\s+|furthermore\s+|moreover\s+|therefore\s+|thus\s+|hence\s+"
            r"|instead\s+|now\s+|also\s+|then\s+|here\s+|first\s+){0,2}")
_PROPOSING = re.compile(
    # "we propose X", and "we leverage ... and propose X" (the verb's subject is the paper's)
    rf"(?:\b{_SUBJECT}\s+{_ADVERBS}|^{_SUBJECT}\b[^.;:]*\band\s+{_ADVERBS}){_VERB}\b"
    r"(?P<object>[^.;:]{0,120})$",
    re.IGNORECASE,
)
# "our X", "our proposed “X”": a name the paper calls its own.
_OURS = re.compile(r"\bour\s+(?:proposed\s+|new\s+|novel\s+)?[\"“]?\s*$", re.IGNORECASE)
# "the proposed RoPE", "a novel online triplet mining method", "via a novel 1-dimensional CNN":
# what the paper calls new is its own (up to three words of the phrase before the name).
_NOVEL = re.compile(r"\b(?:the\s+proposed|(?:a|an|our|the|this)\s+(?:novel|(?P<new>new)))\s+(?P<words>(?:[\w-]+\s+){0,3})$",
                    re.IGNORECASE)
_NAMING = re.compile(r"\b(?:called|dubbed|named|termed|coined|namely)\s+[\"“]?(?:[\w-]+\s+){0,2}$"
                     # "We refer to our RNN architecture as Neural Density Evolution"
                     r"|\bwe\s+refer\s+to\s+(?:our|the|this)\b[^.;:]{0,60}\s+as\s+[\"“]?$"
                     # "The resulting simple, yet effective algorithm, Pre-trained Distillation"
                     r"|\bthe\s+resulting\s+[^.;:]{0,60}?\b(?:method|model|algorithm|approach|framework"
                     r"|system|architecture|network|technique)s?\s*,?\s*[\"“]?$"
                     # "which we call Invertible cGAN", "we term this model X"
                     r"|\bwe\s+(?:call|name|term|dub)\s+(?!for\b|on\b|upon\b|attention\b)"
                     r"(?:(?:it|them|this|these|our|the)\s+(?:[\w-]+\s+){0,2})?[\"“]?(?:[\w-]+\s+){0,2}$",
                     re.IGNORECASE)
# A variant of a proposed name: its size or version ("DiCo-XL", "MUVERA-base", "EfficientNet-B7").
_VARIANT = re.compile(r"[-\s](?:[A-Z]{1,3}\d*(?:/\d+)?|\d+[A-Za-z]?|v\d+(?:\.\d+)?|tiny|small|base|large|huge"
                      r"|lite|xl|xxl)$", re.IGNORECASE)
# "X ... is proposed", "X are introduced": the passive after the name.
# An aside between dashes may come between ("X – a simple method for ... – is proposed").
_PASSIVE = re.compile(r"^[^.;:–—]{0,60}?(?:[–—][^.;:–—]{0,150}[–—]\s*)?\b(?:is|are)\s+(?:\w+ly\s+)?"
                      r"(?:proposed|introduced|presented)\b", re.IGNORECASE)
# "our model consists of a mask network and an attribute transform network": its parts.
_OWN_PARTS = re.compile(r"\bour\s+(?:[\w-]+\s+){0,2}?(?:model|method|approach|framework|system|architecture"
                        r"|network|pipeline|algorithm)s?\s+(?:consists?\s+of|comprises?|(?:is|are)\s+composed\s+of"
                        r"|contains?)\s+(?P<object>[^.;:]{0,120})$", re.IGNORECASE)
# A title names what the paper proposes, unless the name follows one of these words.
_TITLE_ELSEWHERE = re.compile(r"\b(?:using|via|based\s+on|from|beyond|without|than|vs\.?|versus"
                              r"|of|on|in|to|by|for)\s+(?:[\w-]+\s+){0,3}$"
                              # "Unifying Count-Based Exploration and ...": the object of a verb
                              r"|(?:^|:)\s*[A-Z][a-z]+ing\s", re.IGNORECASE)
# A name that ends in a field's word ("... Representation Learning", "... Analysis").
_FIELD_END = re.compile(r"\b(?:learning|analysis|study|survey|overview)$", re.IGNORECASE)
# "called X has been introduced", "X was proposed by": somebody else's work.
_EARLIER = re.compile(r"^[^.;:]{0,40}?\b(?:(?:has|have|had)\s+been|was|were)\s+(?:\w+ly\s+)?"
                      r"(?:proposed|introduced|presented|developed)\b", re.IGNORECASE)
# "we develop a flexible adversarial training framework", "two target dependent ... (LSTM)
# models": a head word after a listed name makes it a modifier of what is proposed.
_HEAD_AFTER = re.compile(r"^\s*(?:\([^()]{1,15}\))?\s*\)?\s*(?:framework|model|architecture|network|approach|method|system"
                         r"|module|layer|mechanism|algorithm|variant|extension)s?\b", re.IGNORECASE)
# ", RePAQ," / ", called X.": a name right after a lower-case class phrase.
_NAME_AFTER = re.compile(r"^\s*,\s*(?:(?:called|named|dubbed|termed)\s+)?[\"“]?[\w-]*[A-Z][\w-]*[\"”]?\s*(?:[,.;:(]|$)")
# "We propose equipping X with ...": a verb's object, not the proposal.
_VERB_OBJECT = re.compile(r"^\s*[a-z]+ing\b")
# "We propose in this paper X": where the proposal is made is no word about something else.
_HERE = re.compile(r"\b(?:in|within)\s+(?:this|the\s+present|our)\s+(?:paper|work|article|study|letter)\b",
                   re.IGNORECASE)
# A title that starts with a name and a colon: "Helix: ...", "Snips Voice Platform: ...".
_TITLE_NAME = re.compile(r"^\s*\S+(?:\s+\S+){0,3}\s*:\s")
# Words after which the rest of an object is about what the proposal builds on or beats.
_ELSEWHERE = re.compile(
    r"\b(?:using|uses|use|based|with|without|via|over|than|from|upon|of|by|on|in|into|to|for"
    r"|like|such|e\.g|including|extends?|extending|leverag\w*|build\w*|built|combin\w*|inspired"
    r"|replac\w*|compared?|against|outperform\w*|which|that|where|whose|while|existing|previous"
    r"|prior|standard|conventional|traditional|original|popular|vanilla|classic)\b"
    # "We propose X, a memory network": an apposition says what X is, it is not proposed.
    r"|,\s*(?:a|an)\s",
    re.IGNORECASE,
)


def proposed_in_sentence(sentence: str, offset: int, end: int | None = None,
                         title: bool = False, known: bool = False) -> bool:
    """Whether the name at ``offset:end`` of ``sentence`` is something the paper proposes
    (``title``: the sentence is the paper's title; ``known``: a reviewed list holds the name,
    so a title or "our X" alone only says the paper uses it: "Effective LSTMs for ...", "our
    BERT model")."""
    before = sentence[max(0, offset - _WINDOW):offset]
    name = sentence[offset:end] if end is not None else None
    if title:
        # "Stride: Faster Language Models": after a name and a colon, the title describes the
        # name; what it describes with is not proposed on its own.  A plain word ("Grammar as
        # a Foreign Language") or a field ("Unsupervised Representation Learning with ...")
        # at the start of a title is the subject, not a name.
        plain = name is not None and (not _named(name) or _FIELD_END.search(name) is not None)
        return not known and not plain \
            and _TITLE_ELSEWHERE.search(before) is None and _TITLE_NAME.match(before) is None
    if end is not None and _EARLIER.search(sentence[end:end + _WINDOW]):
        return False
    if _NAMING.search(before):
        return True
    if end is not None and not known and _OURS.search(before) and any(c.isupper() for c in sentence[offset:end]):
        return True  # "our “DeepLab” system" (not "our model": a lower-case phrase describes)
    if end is not None and _PASSIVE.search(sentence[end:end + _WINDOW]):
        return True
    if end is not None and name and name.split()[-1].islower() and _NAME_AFTER.match(sentence[end:end + 60]):
        return False  # "a new QA-pair retriever, RePAQ,": the name after the class is proposed
    if known and end is not None and modifies_head(sentence, end):
        return False  # a listed name inside what is proposed only says what it builds on
    novel = _NOVEL.search(before)
    if novel is not None and name is not None and _named(name) and _ELSEWHERE.search(novel.group("words")) is None \
            and (novel.group("new") is None or any(c.isupper() for c in name)):
        # "the proposed RoPE", not "the proposed initialization"; "a new ... (PORoI) pooling
        # unit", not "a new shared training and evaluation set"
        return True
    match = _PROPOSING.search(before) or _OWN_PARTS.search(before)
    if match is None or _VERB_OBJECT.match(match.group("object")):
        return False
    return _ELSEWHERE.search(_HERE.sub(" ", match.group("object"))) is None


def modifies_head(sentence: str, end: int) -> bool:
    """Whether a head word follows the name ending at ``end`` ("(LSTM) models", "adversarial
    training framework"): the name then says what the thing named by the head builds on."""
    return _HEAD_AFTER.match(sentence[end:end + 40]) is not None


def _named(name: str) -> bool:
    """More than one plain word: a phrase, a compound ("in-filling"), a capital or a digit
    inside a word ("RoPE")."""
    if name.lower().endswith("-based"):  # "attention-based" says what something uses
        return False
    return any(c in " -" for c in name.strip()) or any(c.isupper() or c.isdigit() for c in name[1:])


def is_variant(name: str, proposed: str) -> bool:
    """Whether ``name`` is a size or version variant of the proposed name ``proposed``.

    >>> is_variant("DiCo-XL", "DiCo"), is_variant("ViT-B/16", "ViT"), is_variant("DiT", "DiCo")
    (True, True, False)
    """
    return name.startswith(proposed) and _VARIANT.fullmatch(name[len(proposed):]) is not None

