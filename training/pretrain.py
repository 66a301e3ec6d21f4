"""`spacy pretrain` the ner component's embedded tok2vec on the raw corpus text.

spaCy cannot pretrain the ner's own tok2vec reference (it ends in a flattening layer), so this
builds a one-component pipeline whose ``tok2vec`` has exactly the ner's tok2vec architecture
(taken from ``training/ner.cfg`` with the same overrides), pretrains it, and
``training/callbacks.py`` loads the weights into the ner before training.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from spacy import util
from spacy.cli._util import parse_config_overrides
from spacy.training.pretrain import pretrain


def main() -> None:
    """Pretrain with the ner config's tok2vec; extra ``--section.key value`` args override it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config", type=Path)
    parser.add_argument("output", type=Path)
    args, extra = parser.parse_known_args()
    config = util.load_config(args.config, overrides=parse_config_overrides(extra),
                              interpolate=True)
    config["nlp"]["pipeline"] = ["tok2vec"]
    config["components"] = {
        "tok2vec": {"factory": "tok2vec", "model": config["components"]["ner"]["model"]["tok2vec"]}
    }
    config["pretraining"]["component"] = "tok2vec"
    config["pretraining"]["layer"] = ""
    config["initialize"]["after_init"] = None
    args.output.mkdir(parents=True, exist_ok=True)
    pretrain(config, args.output, silent=False)


if __name__ == "__main__":
    main()
