"""Node-worthiness and roles: what becomes a node, on texts written for these tests."""
from __future__ import annotations

import pytest

from kg.extract import extract, load_pipeline
from kg.normalize import normalize
from kg.normalize.roles import proposed_in_sentence
from kg.normalize.worthiness import NodeModel, entity_features, load_node_model, name_features
from kg.records import Paper

ABSTRACT = (
    "We present a hybrid approach to image classification. A key component of the "
    "memory-expensive mapping is the learning method. Our experiments use ConvNeXt and "
    "Swin Transformer with knowledge distillation on ImageNet and COCO, and we report "
    "top-1 accuracy. The learning method improves inference on downstream tasks."
)


@pytest.fixture(scope="module")
def entities() -> dict[str, str]:
    paper = Paper(id="t:1", title="Distilling vision transformers", abstract=ABSTRACT)
    record = normalize(next(extract([paper], nlp=load_pipeline())))
    return {e.name.lower(): e.type for e in record.entities}


@pytest.mark.parametrize("name", ["hybrid approach", "key component", "memory-expensive mapping",
                                  "learning method", "inference", "downstream tasks"])
def test_descriptive_phrases_and_generic_words_are_not_nodes(entities: dict[str, str], name: str) -> None:
    assert name not in entities


@pytest.mark.parametrize(("name", "entity_type"), [
    ("swin transformer", "Method"), ("knowledge distillation", "Method"),
    ("imagenet", "Dataset"), ("coco", "Dataset"), ("top-1 accuracy", "Metric"),
    ("image classification", "Task"),
])
def test_named_and_established_things_are_nodes(entities: dict[str, str], name: str,
                                                 entity_type: str) -> None:
    assert entities.get(name) == entity_type


def test_the_shipped_model_ranks_a_name_above_a_descriptive_phrase() -> None:
    model = load_node_model()
    assert model is not None and 0.0 < model.threshold < 1.0
    named = entity_features("Method", "PC-DARTS", ["PC-DARTS"], ["ner", "candidates"], mentions=2)
    phrase = entity_features("Method", "hybrid approach", ["hybrid approach"], ["ner"])
    assert model.probability(named) > model.threshold > model.probability(phrase)


def test_name_features_read_shape_and_head() -> None:
    features = set(name_features("ResNet-50 backbone"))
    assert {"shape=inner-capital", "shape=digit", "shape=hyphen", "head=backbone",
            "first=resnet", "words=3"} <= features
    assert "shape=lower" in name_features("contrastive learning")


def test_node_model_round_trips_and_calibrates() -> None:
    model = NodeModel({"bias": -1.0, "shape=digit": 3.0}, (2.0, 0.5), 0.4)
    again = NodeModel.from_dict(model.to_dict())
    assert again == model
    assert again.probability({"bias": 1.0, "shape=digit": 1.0}) > 0.9
    assert again.probability({"bias": 1.0}) < 0.5


@pytest.mark.parametrize(("sentence", "name", "proposed"), [
    ("We further propose a compact channel attention mechanism.", "compact channel", True),
    ("We introduce PRN and DRN, two networks for parsing.", "DRN", True),
    ("Our model, dubbed MUVERA, reduces retrieval to search.", "MUVERA", True),
    ("The method is proposed, and ResNet-50 is proposed as well.", "ResNet-50", True),
    ("We compare our DiCo-XL against DiT.", "DiT", False),
    ("We propose a method based on the Transformer.", "Transformer", False),
    ("We propose X, which outperforms ResNet.", "ResNet", False),
    ("We propose Helix, a memory network for language modeling.", "memory network", False),
    ("Existing work uses BERT for ranking.", "BERT", False),
    ("We leverage techniques in neural architecture search and propose NAS-Net, a method.", "NAS-Net", True),
    ("We furthermore release the pretrained models KLUE-Tiny and KLUE-Small.", "KLUE-Small", True),
    ("Qualitatively, our \u201cDeepSeg\u201d system localises boundaries.", "DeepSeg", True),
    ("Our model localises boundaries.", "model", False),
    ("We compare against SegNet and propose nothing else.", "SegNet", False),
    ("We propose in this paper Periodic Primitives, a framework.", "Periodic Primitives", True),
    ("We propose a detector built on ResNet in this paper.", "ResNet", False),
    ("We propose equipping Generative Adversarial Networks with diversity.", "Generative Adversarial Networks", False),
    ("A reasoning module called Relation Network (RN) has been introduced.", "Relation Network", False),
    ("A reasoning module called Relation Network was proposed by Smith.", "Relation Network", False),
    ("We train on triplets found by a novel online triplet mining method.", "online triplet mining", True),
    ("Specifically, the proposed RoPE encodes the absolute position.", "RoPE", True),
    ("We refer to our RNN architecture as Neural Density Evolution (NDE).", "Neural Density Evolution", True),
    ("We build a novel model based on the LSTM.", "LSTM", False),
    ("Results show that the proposed initialization leads to deep nets.", "initialization", False),
    ("Results show that a novel in-filling scheme helps.", "in-filling", True),
    # "we call", a passive after an aside between dashes, the parts of "our model"
    ("An encoder with a cGAN, which we call Invertible cGAN (IcGAN), edits faces.", "Invertible cGAN", True),
    ("We call for more work on Invertible cGAN.", "Invertible cGAN", False),
    ("Layer-sequential unit-variance (LSUV) initialization \u2013 a simple method for weight "
     "initialization \u2013 is proposed.", "Layer-sequential unit-variance", True),
    ("In general, our model consists of a mask network and an attribute transform network.",
     "attribute transform network", True),
    ("In general, our model consists of a mask network built on ResNet.", "ResNet", False),
    # the class phrase before the proposed name, and a modifier of what is proposed, are used
    ("We introduce a new QA-pair retriever, RePAQ, to complement PAQ.", "QA-pair retriever", False),
    ("We introduce a new QA-pair retriever, RePAQ, to complement PAQ.", "RePAQ", True),
    ("In the end, the proposed attention-based architecture wins.", "attention-based", False),
    # "the resulting ... algorithm, X"; "a new" before a written name, not before a phrase
    ("The resulting simple, yet effective and general algorithm, Pre-trained Distillation, helps.",
     "Pre-trained Distillation", True),
    ("Meanwhile, we use a new part occlusion-aware RoI pooling unit.", "part occlusion-aware RoI pooling", True),
    ("The STS Benchmark is introduced as a new shared training and evaluation set.", "shared training", False),
])
def test_proposed_from_the_sentence(sentence: str, name: str, proposed: bool) -> None:
    start = sentence.index(name)
    assert proposed_in_sentence(sentence, start, start + len(name)) is proposed


def test_proposed_in_the_title_unless_it_is_used() -> None:
    title = "DiCo: Revitalizing ConvNets for Diffusion Models using Swin Transformer"
    assert proposed_in_sentence(title, 0, 4, title=True)
    assert not proposed_in_sentence(title, title.index("Swin"), len(title), title=True)
    # After "Name:", the title describes the name: "Language Models" is not proposed on its own.
    described = "Stride: Faster Language Models for Speech Recognition"
    assert not proposed_in_sentence(described, described.index("Language"), described.index(" for"), title=True)
    # a title that opens with a verb names its object, which the paper does not propose
    unifying = "Unifying Count-Based Exploration and Intrinsic Motivation"
    assert not proposed_in_sentence(unifying, 9, 30, title=True)
    # a listed name in a title, or after "our", is what the paper uses
    # a plain word or a field at the start of a title is its subject, not a name
    assert not proposed_in_sentence("Grammar as a Foreign Language", 0, 7, title=True)
    field = "Unsupervised Representation Learning with Deep Convolutional GANs"
    assert not proposed_in_sentence(field, 0, 36, title=True)
    revisiting = "Wider or Deeper: Revisiting the ResNet Model for Visual Recognition"
    assert not proposed_in_sentence(revisiting, 32, 38, title=True)
    platform = "Snips Voice Platform: an embedded Spoken Language Understanding system"
    assert not proposed_in_sentence(platform, platform.index("embedded"), len(platform), title=True)
    effective = "Effective LSTMs for Target-Dependent Sentiment Classification"
    assert proposed_in_sentence(effective, 10, 15, title=True)
    assert not proposed_in_sentence(effective, 10, 15, title=True, known=True)
    assert not proposed_in_sentence("Our BERT model wins.", 4, 8, known=True)
    # a listed name that modifies the head of what is proposed is used
    developed = "We develop two target dependent long short-term memory (LSTM) models."
    start = developed.index("long")
    assert proposed_in_sentence(developed, start, start + 22)
    assert not proposed_in_sentence(developed, start, start + 22, known=True)
    untitled = "Mode Seeking Generative Adversarial Networks for Diverse Image Synthesis"
    assert proposed_in_sentence(untitled, 0, untitled.index(" for"), title=True)
    assert not proposed_in_sentence(untitled, untitled.index("Diverse"), len(untitled), title=True)


def test_the_default_keeps_proposed_methods_and_curated_metrics_below_the_threshold() -> None:
    from kg.normalize.entities import _curated_metric

    paper = Paper(id="t:low", title="arXiv:0000.00000",
                  abstract="We propose Q-Former with three components: answer pointer, no-answer pointer, "
                           "and answer verifier. It gives a 2.1x speedup and lower memory usage.")
    mentions = next(extract([paper], nlp=load_pipeline()))
    threshold = load_node_model().threshold
    kept = normalize(mentions).entities
    below = [e for e in kept if e.confidence < threshold]
    assert below, "the example has entities below the threshold"
    assert all(e.role == "proposed" or _curated_metric(e) for e in below)
    assert all(e.confidence >= threshold for e in normalize(mentions, min_confidence=threshold).entities)


def test_variants_of_the_proposed_family_are_proposed() -> None:
    paper = Paper(id="t:4", title="DiCo: diffusion ConvNets",
                  abstract="We propose DiCo, a convolutional diffusion model. DiCo-XL reaches "
                           "an FID of 2.05 on ImageNet, better than DiT-XL.")
    record = normalize(next(extract([paper], nlp=load_pipeline())), min_confidence=0.0)
    roles = {e.name: e.role for e in record.entities if e.type == "Method"}
    assert roles.get("DiCo") == "proposed"
    assert roles.get("DiCo-XL") == "proposed"
    assert roles.get("DiT-XL", "used") == "used"


def test_components_of_a_paper_are_proposed() -> None:
    paper = Paper(id="t:2", title="Efficient channel attention",
                  abstract="We propose ECANet, a lightweight network. We further introduce "
                           "adaptive kernel selection for the channel attention mechanism. "
                           "ECANet is evaluated on ImageNet.")
    record = normalize(next(extract([paper], nlp=load_pipeline())), min_confidence=0.0)
    roles = {e.name: e.role for e in record.entities if e.type == "Method"}
    assert roles.get("ECANet") == "proposed"
    assert roles.get("adaptive kernel selection") == "proposed"


KNOWN = {"coco": "Dataset", "imagenet": "Dataset", "roberta": "Method", "relu": "Method",
         "logisticregression": "Method", "docvqa": "Dataset", "cococaption": "Dataset",
         "questionanswering": "Task", "transformer": "Method", "gigaword": "Dataset",
         "accuracy": "Metric", "imageclassification": "Task", "finetuning": "Method",
         "cityscape": "Dataset", "vqa": "Task"}


def test_a_corpus_phrase_with_a_kind_word_loses_it() -> None:
    from kg.normalize.spans import split_mention
    from kg.records import Evidence, Mention

    sentence = "We study machine translation systems here."
    start = sentence.index("machine")
    written = Mention("Method", Evidence("machine translation systems", "abstract", start, start + 27, sentence),
                      0.7, canonical="machine translation systems")
    known = {**KNOWN, "machinetranslation": "Task"}
    assert [(m.label, m.text) for m in split_mention(written, known)] == [("Task", "machine translation")]
    reviewed = {**known, "machinetranslationsystem": "Method"}  # a reviewed list's name stays whole
    assert [(m.label, m.text) for m in split_mention(written, reviewed)] == [("Method", "machine translation systems")]


@pytest.mark.parametrize(("text", "label", "parts"), [
    ("COCO detection", "Task", [("Dataset", "COCO"), ("Task", "detection")]),
    ("ImageNet top-1 accuracy", "Metric", [("Dataset", "ImageNet"), ("Metric", "top-1 accuracy")]),
    ("RoBERTa pretraining", "Task", [("Method", "RoBERTa"), ("Task", "pretraining")]),
    # words the tagger took in: a verb before a name, a participle after, a framework word
    ("equipping Generative Adversarial Networks", "Method", [("Method", "Generative Adversarial Networks")]),
    ("multinomial logistic loss regularized", "Method", [("Method", "multinomial logistic loss")]),
    ("variational resampling framework", "Method", [("Method", "variational resampling")]),
    ("fully connected", "Method", [("Method", "fully connected")]),
    # what a method is, whatever the NER says
    ("sequence-to-sequence models", "Task", [("Method", "sequence-to-sequence models")]),
    ("multilingual fine-tuning", "Task", [("Method", "multilingual fine-tuning")]),
    ("multilingual translation", "Task", [("Task", "multilingual translation")]),
    ("sequence-to-sequence model", "Task", [("Method", "sequence-to-sequence model")]),
    ("fine-tuning task", "Task", [("Method", "fine-tuning")]),
    ("image classification task", "Method", [("Task", "image classification")]),
    # lower-case words that describe a thing, not name it
    ("flexible adversarial training", "Method", [("Method", "adversarial training")]),
    ("end-to-end acoustic modelling", "Task", [("Task", "acoustic modelling")]),
    ("Simple Online Tracking", "Method", [("Method", "Simple Online Tracking")]),
    # a task and the data it is done on
    ("classification of MNIST", "Task", [("Task", "classification"), ("Dataset", "MNIST")]),
    ("segmentation on the Cityscapes", "Task", [("Task", "segmentation"), ("Dataset", "Cityscapes")]),
    ("classification of images", "Task", [("Task", "classification of images")]),
    # a listed rest keeps its listed type
    ("RoBERTa fine-tuning", "Task", [("Method", "RoBERTa"), ("Method", "fine-tuning")]),
    ("Bi-LSTM layer", "Method", [("Method", "Bi-LSTM")]),
    ("logistic regression model", "Method", [("Method", "logistic regression")]),
    ("ReLU-family", "Method", [("Method", "ReLU")]),
    ("Transformer-based neural architecture", "Method",
     [("Method", "Transformer"), ("Method", "neural architecture")]),
    ("question answering task", "Task", [("Task", "question answering")]),
    ("DocVQA", "Method", [("Dataset", "DocVQA")]),
    ("COCO Captions", "Dataset", [("Dataset", "COCO Captions")]),
    ("WMT'14 English-French", "Dataset", [("Dataset", "WMT'14 English-French")]),
    ("hybrid approach", "Method", [("Method", "hybrid approach")]),
    ("online triplet mining method", "Method", [("Method", "online triplet mining")]),
    ("biased random walk procedure", "Method", [("Method", "biased random walk")]),
    ("transfer learning baselines", "Method", [("Method", "transfer learning")]),
    ("generative model G", "Method", [("Method", "generative model")]),
    ("novel strategy", "Method", [("Method", "novel strategy")]),
    ("object detection", "Method", [("Task", "object detection")]),
    ("image classification", "Method", [("Task", "image classification")]),
    ("face enhancement tasks", "Method", [("Task", "face enhancement")]),
    ("Gigaword abstractive summarization", "Dataset", [("Dataset", "Gigaword"), ("Task", "abstractive summarization")]),
    ("TabFact accuracy", "Method", [("Dataset", "TabFact"), ("Metric", "accuracy")]),
    ("top-5 accuracy", "Metric", [("Metric", "top-5 accuracy")]),
    ("CTB 5.1 test sets", "Dataset", [("Dataset", "CTB 5.1")]),
    ("zero-shot top-1", "Dataset", [("Metric", "zero-shot top-1")]),
    ("Low-Latency Machine Translation", "Task", [("Task", "Low-Latency Machine Translation")]),
    ("ResNet-50-based detection head", "Method", [("Method", "ResNet-50"), ("Method", "detection head")]),
    ("WMT'14 English-French translation", "Dataset", [("Dataset", "WMT'14 English-French"), ("Task", "translation")]),
    ("Visual Genome dataset", "Dataset", [("Dataset", "Visual Genome")]),
    ("large text corpus", "Dataset", [("Dataset", "large text corpus")]),
    ("gradient descent based mechanism", "Method", [("Method", "gradient descent")]),
    ("VGG-FACE based identity loss", "Method", [("Method", "VGG-FACE"), ("Method", "identity loss")]),
    ("recursive neural network models", "Method", [("Method", "recursive neural network")]),
    ("interlingual transfer mechanisms", "Method", [("Method", "interlingual transfer")]),
    ("attention mechanism", "Method", [("Method", "attention mechanism")]),
    ("state-of-the-art ResNet-50", "Method", [("Method", "ResNet-50")]),
    ("CNN model ConvNeXt", "Method", [("Method", "ConvNeXt")]),
    ("language model BERT", "Method", [("Method", "BERT")]),
    # a data word after a name that also names a task: the dataset stays whole
    ("VQA dataset", "Dataset", [("Dataset", "VQA dataset")]),
])
def test_mixed_spans_split(text: str, label: str, parts: list[tuple[str, str]]) -> None:
    from kg.normalize.spans import split_mention
    from kg.records import Evidence, Mention

    sentence = f"We study {text} here."
    start = sentence.index(text)
    mention = Mention(label, Evidence(text, "abstract", 100 + start, 100 + start + len(text),
                                      sentence, 100), 0.7)
    split = split_mention(mention, KNOWN)
    assert [(m.label, m.evidence.text) for m in split] == parts
    for part in split:  # offsets still index the paper's text
        assert sentence[part.evidence.start - 100:part.evidence.end - 100] == part.evidence.text


def test_a_dataset_inside_a_task_phrase_becomes_its_own_node() -> None:
    paper = Paper(id="t:3", title="Detecting small things",
                  abstract="We report results on COCO detection and ADE20K segmentation.")
    record = normalize(next(extract([paper], nlp=load_pipeline())), min_confidence=0.0)
    names = {(e.type, e.name) for e in record.entities}
    assert ("Dataset", "COCO") in names
    assert not any(name.startswith("COCO ") for _, name in names)


def test_a_word_inside_a_defined_long_form_is_no_entity_and_written_kind_words_are_aliases() -> None:
    paper = Paper(id="t:6", title="Position methods",
                  abstract="We therefore introduce a simpler and more efficient position method, Attention with "
                           "Linear Biases (ALiBi). ALiBi does not add positional embeddings to word embeddings. "
                           "We test ALiBi on the WikiText-103 benchmark.")
    assert "Attention" in [m.text for m in next(extract([paper], nlp=load_pipeline())).mentions]
    record = normalize(next(extract([paper], nlp=load_pipeline())), min_confidence=0.0)
    names = {e.name: e for e in record.entities}
    assert "Attention" not in names and names["ALiBi"].role == "proposed"
    assert "WikiText-103 benchmark" in names["WikiText-103"].aliases


def test_a_coined_acronym_is_the_name_and_merges_with_its_long_form() -> None:
    paper = Paper(id="t:5", title="Fast retrieval",
                  abstract="We propose MUlti-VEctor Retrieval Algorithm (MUVERA), a retrieval "
                           "method. MUVERA is fast.")
    record = normalize(next(extract([paper], nlp=load_pipeline())), min_confidence=0.0)
    methods = [e for e in record.entities if e.type == "Method"]
    assert [(e.name, e.role) for e in methods] == [("MUVERA", "proposed")]
    assert "MUlti-VEctor Retrieval Algorithm" in methods[0].aliases


@pytest.mark.parametrize(("sentence", "name", "entity_type"), [
    ("We release KLUE, a benchmark of eight Korean tasks.", "KLUE", "Dataset"),
    ("We introduce the Korean Language Understanding Evaluation (KLUE) benchmark.", "KLUE", "Dataset"),
    ("TweetEval is a collection of seven tweet classification tasks.", "TweetEval", "Dataset"),
    ("We propose Helix, a memory network for language modeling.", "Helix", "Method"),
    ("We propose Helix for language modeling.", "Helix", None),
    ("Results on the curve text detection dataset CurveText9 improve.", "CurveText9", "Dataset"),
    ("We propose a new evaluation framework (TweetBench) of seven tasks.", "TweetBench", "Dataset"),
    ("We introduce QAStore, a very large resource of 65M generated QA-pairs.", "QAStore", "Dataset"),
])
def test_the_description_after_a_name_says_what_it_is(sentence: str, name: str, entity_type: str | None) -> None:
    from kg.normalize.kinds import described_type

    start = sentence.index(name)
    assert described_type(sentence, start, start + len(name)) == entity_type


def test_a_new_name_introduced_as_a_benchmark_is_an_introduced_dataset() -> None:
    paper = Paper(id="t:9", title="A benchmark for tweets",
                  abstract="We introduce TweetBench, a new benchmark of seven tweet classification "
                           "tasks. Models reach 61.2 F1 on TweetBench.")
    record = normalize(next(extract([paper], nlp=load_pipeline())))
    [bench] = [e for e in record.entities if e.name == "TweetBench"]
    assert (bench.type, bench.role) == ("Dataset", "introduced")


def _record(abstract: str, title: str = "arXiv:0000.00000"):
    paper = Paper(id="t:10", title=title, abstract=abstract)
    return normalize(next(extract([paper], nlp=load_pipeline())))


@pytest.mark.parametrize(("abstract", "name", "entity_type", "role"), [
    # the repository of the code and models a paper releases names what it proposes
    ("We train an image encoder on 400M pairs. We release our code and pre-trained model weights "
     "at https://github.com/acme/PIXELA.", "PIXELA", "Method", "proposed"),
    ("The code and the pretrained models are available at https://github.com/acme/LiteBERTa.",
     "LiteBERTa", "Method", "proposed"),
    ("We collect faces of seven race groups. The dataset will be released via "
     "https://github.com/acme/FaceSet7.", "FaceSet7", "Dataset", "introduced"),
    # code of experiments, a project slug, somebody else's library: no name
    ("We study widths. Code for our experiments can be found at github.com/acme/TP4.", "TP4", None, None),
    ("Our code and models can be found at https://github.com/acme/Table-Pretraining.",
     "Table-Pretraining", None, None),
    ("Results with models built on https://github.com/huggingface/FastTok are fine.", "FastTok", None, None),
    # "we create the X benchmark" introduces it
    ("Finally, we create the ML77 benchmark, covering 77 languages.", "ML77", "Dataset", "introduced"),
])
def test_what_a_paper_releases_and_creates(abstract: str, name: str, entity_type: str | None,
                                            role: str | None) -> None:
    found = {e.name: (e.type, e.role) for e in _record(abstract).entities}
    assert found.get(name, (None, None)) == (entity_type, role)


@pytest.mark.parametrize(("text", "typed"), [
    ("on FormX (0.79 → 0.84), CORDX (0.95), SROIEX (0.97), RVL-CDIP (0.94) and DocVQA (0.86)", "Dataset"),
    ("on FormX (0.79 → 0.84), CORDX, SROIEX and RVL-CDIP", "Dataset"),
    ("on FormX and then we report RVL-CDIP", None),
])
def test_a_list_gives_its_type_across_names_no_extractor_took(text: str, typed: str | None) -> None:
    from kg.normalize.lists import list_types
    from kg.records import Evidence, Mention

    def at(word: str, label: str) -> Mention:
        start = text.index(word)
        return Mention(label, Evidence(word, "abstract", start, start + len(word), text), 0.7,
                       canonical=None if word == "FormX" else word)
    types = list_types([at("FormX", "Method"), at("RVL-CDIP", "Dataset")],
                       lambda m: m.canonical is not None, lambda m: m.canonical is None)
    assert types.get(("abstract", text.index("FormX"), text.index("FormX") + 5)) == typed


@pytest.mark.parametrize(("abstract", "name"), [
    ("It improves segmentation of PASCAL VOC (67.2% mean IU), NYUDv9, SIFT Flow, and PASCAL-Context, "
     "while inference is fast.", "NYUDv9"),
])
def test_a_new_name_listed_among_datasets_is_a_dataset(abstract: str, name: str) -> None:
    types = {e.name: e.type for e in _record(abstract).entities}
    assert types.get(name) == "Dataset"


@pytest.mark.parametrize(("sentence", "name", "evaluated"), [
    ("It achieves state-of-the-art results on NYUDv2 and SIFT Flow.", "SIFT Flow", True),
    ("It achieves state-of-the-art results on NYUDv2 and SIFT Flow.", "NYUDv2", True),
    ("Our detector, built on ResNet, achieves 40 AP.", "ResNet", False),
    ("We build on GPT-2.", "GPT-2", False),
])
def test_names_after_on_in_an_evaluation_are_where_it_was_evaluated(sentence: str, name: str, evaluated: bool) -> None:
    from kg.normalize.kinds import evaluated_on

    assert evaluated_on(sentence, sentence.index(name)) is evaluated


@pytest.mark.parametrize(("name", "generic"), [
    ("pretrained model", True), ("single model", True), ("classifier", True), ("deep network", True),
    ("pre-trained language model", False), ("linear classifier", False),
    ("downstream tasks", True), ("down-stream task", True), ("data stream mining", False),
    ("Vision", True), ("computer vision tasks", True), ("NLP tasks", True), ("speech recognition", False),
    ("language model", False), ("vision transformer", False),
    ("key components", True), ("core module", True), ("key-value memory", False),
])
def test_generic_words_with_generic_modifiers_are_generic(name: str, generic: bool) -> None:
    from kg.normalize.names import is_generic

    assert is_generic(name) is generic


def test_an_acronym_in_brackets_is_proposed_where_its_long_form_is() -> None:
    paper = Paper(id="t:10", title="Position methods",
                  abstract="We therefore introduce a simpler position method, Attention with Linear "
                           "Biases (ALiBi). ALiBi does not add positional embeddings.")
    record = normalize(next(extract([paper], nlp=load_pipeline())))
    [alibi] = [e for e in record.entities if "ALiBi" in (e.name, *e.aliases)]
    assert (alibi.name, alibi.role) == ("ALiBi", "proposed")


def test_the_head_ending_generalises_to_heads_never_seen() -> None:
    assert "head-ending=ing" in name_features("tourism demand forecasting")
    assert "head-ending=ion" in name_features("face hallucination")
    assert not any(f.startswith("head-ending=") for f in name_features("forecasting"))
