"""Imported first by the Python scripts of scripts/: they run with kg and its dependencies.

Run with a Python that lacks kg (the system ``python3`` of the shebang, with ``.venv`` not
activated), a script would stop at its first import of spaCy with a raw
``ModuleNotFoundError``; importing this module instead sets up ``.venv`` if needed
(``scripts/_setup.sh``) and runs the script again with ``.venv``'s Python.
"""
from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"


def _has_kg() -> bool:
    try:
        importlib.metadata.distribution("kg")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


if not _has_kg():
    if Path(sys.prefix).resolve() == VENV.resolve():
        sys.exit(f"{sys.argv[0]}: kg is not installed in {VENV}: run scripts/demo")
    if subprocess.run(["bash", str(ROOT / "scripts" / "_setup.sh")]).returncode:
        sys.exit(f"{sys.argv[0]}: cannot set up {VENV} (scripts/_setup.sh failed)")
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])
sys.path.insert(0, str(ROOT))
