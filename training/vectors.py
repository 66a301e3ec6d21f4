"""Train small in-domain floret vectors on the raw corpus text and export them for spaCy."""
from __future__ import annotations

import argparse
from pathlib import Path

import floret


def main() -> None:
    """Train floret (CBOW, subword-hashed) vectors and write them as a floret .vec table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("text", type=Path, help="one sentence per line, tokens split by spaces")
    parser.add_argument("output", type=Path, help="the .floret table for `spacy init vectors`")
    parser.add_argument("--dim", type=int, default=96)
    parser.add_argument("--bucket", type=int, default=10000)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    model = floret.train_unsupervised(
        str(args.text),
        model="cbow",
        mode="floret",
        hashCount=2,
        bucket=args.bucket,
        dim=args.dim,
        minn=3,
        maxn=5,
        minCount=3,
        epoch=args.epochs,
        thread=args.threads,
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    model.save_floret_vectors(str(args.output))


if __name__ == "__main__":
    main()
