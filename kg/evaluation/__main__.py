"""Command line of kg.evaluation: score NER models on the shared corpora (scripts/evaluate)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kg.errors import KGError
from kg.evaluation.runner import format_table, run

PACKAGE_MODEL = Path(__file__).resolve().parents[1] / "models" / "kg_ner"


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation table; write the scores as JSON with ``--json PATH``."""
    parser = argparse.ArgumentParser(prog="scripts/evaluate", description=__doc__)
    parser.add_argument("--model", type=Path, default=PACKAGE_MODEL, help="4-label kg model")
    parser.add_argument("--scierc6", type=Path, default=None, help="6-label SciERC model")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--json", type=Path, default=None, help="also write the scores here")
    args = parser.parse_args(argv)
    try:
        results = run(args.model, args.data, scierc6_model_path=args.scierc6, split=args.split)
    except KGError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    print(format_table(results))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
