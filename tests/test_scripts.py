"""The scripts of scripts/ run without the virtual environment activated, and the install is quiet."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTHON_SCRIPTS = sorted(path for path in (ROOT / "scripts").iterdir()
                        if path.is_file() and path.read_text(encoding="utf-8").startswith("#!/usr/bin/env python3"))
BASE_PYTHON = Path(sys.base_prefix) / "bin" / "python3"


def test_every_python_script_is_found() -> None:
    assert {path.name for path in PYTHON_SCRIPTS} >= {"bench_build", "build_metrics", "build_resources",
                                                      "duplicate_rate", "salient_recall", "make_corpus.py", "bench_rules"}


@pytest.mark.parametrize("script", PYTHON_SCRIPTS, ids=lambda path: path.name)
def test_a_python_script_imports_the_venv_helper_before_kg(script: Path) -> None:
    text = script.read_text(encoding="utf-8")
    helper = text.index("import _venv")
    assert all(text.index(line) > helper for line in text.splitlines() if line.startswith(("from kg", "import kg")))


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="the tests do not run in a virtual environment")
@pytest.mark.parametrize("script", ["duplicate_rate", "build_metrics"])
def test_a_python_script_runs_with_a_python_that_lacks_kg(script: str, tmp_path: Path) -> None:
    environment = {"PATH": os.defpath, "HOME": str(tmp_path)}
    lacks = subprocess.run([str(BASE_PYTHON), "-c", "import importlib.metadata as m; m.distribution('kg')"],
                           env=environment, cwd=tmp_path, capture_output=True, text=True)
    if lacks.returncode == 0:
        pytest.skip(f"{BASE_PYTHON} has kg installed")
    result = subprocess.run([str(BASE_PYTHON), str(ROOT / "scripts" / script), "--help"], env=environment,
                            cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: {script}") and "ModuleNotFoundError" not in result.stderr


def test_the_project_metadata_uses_the_current_license_form() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "Apache-2.0"  # an SPDX string: a table is deprecated
    assert "setuptools>=77" in project["build-system"]["requires"]  # the first to read it
    assert project["tool"]["setuptools"]["package-dir"] == {"": "."}  # a plain .pth editable install
