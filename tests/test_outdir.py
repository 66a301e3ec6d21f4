"""Where a build may write, and its switch to the new outputs: directory safety rules,
failed builds, an interrupted switch, stale staging directories and locks."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_state import FORMATS, build_state
from kg.errors import InputError, OutputDirectoryError
from kg.build.lock import LOCK_NAME, DirectoryLock
from kg.build.outdir import STAGING_NAME, BuildDirectory, check_output_directory, recover
from scale_support import build_rules, sample_lines, write_corpus


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("outdir")
    lines = sample_lines()
    found = {"old": write_corpus(root / "old.jsonl", lines[:6]),
             "new": write_corpus(root / "new.jsonl", lines[6:12])}
    for name in ("old", "new"):
        build_rules([found[name]], root / f"{name}-build", formats=FORMATS.split(","))
        found[f"{name}-build"] = root / f"{name}-build"
    return found


def run_kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def _refused(out: Path, inputs: list[Path], message: str, **options: object) -> None:
    with pytest.raises(OutputDirectoryError, match=message) as caught:
        build_rules(inputs, out, **options)
    assert str(caught.value).startswith(f"{out}: ") or str(caught.value).startswith("'': ")


def test_a_directory_that_is_not_a_kg_build_is_refused_unless_forced(tmp_path, corpora):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "graph.ttl").write_text("mine too")
    _refused(out, [corpora["old"]], r"not empty and not a kg build \(it holds graph.ttl, notes.txt")
    assert sorted(path.name for path in out.iterdir()) == ["graph.ttl", "notes.txt"]
    (out / "store").mkdir()  # a folder of the user's own, not a kg store
    (out / "store" / "data.csv").write_text("mine")
    _refused(out, [corpora["old"]], r"not empty and not a kg build \(it holds graph.ttl, notes.txt")
    build_rules([corpora["old"]], out, force=True)
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "graph.ttl").read_text() != "mine too"


def test_an_earlier_build_is_rebuilt_and_files_beside_it_are_kept(tmp_path, corpora):
    out = tmp_path / "out"
    shutil.copytree(corpora["old-build"], out)
    (out / "README.txt").write_text("notes on this build")
    build_rules([corpora["new"]], out, formats=["ttl"])
    assert (out / "README.txt").read_text() == "notes on this build"
    # The outputs of the earlier build that this one does not write are gone with it.
    assert sorted(path.name for path in out.iterdir() if not path.name.startswith(".")) == [
        "README.txt", "graph.ttl", "papers.jsonl", "store"]


@pytest.mark.parametrize("inside", ["papers.jsonl", "in/papers.jsonl", "."])
def test_an_input_inside_the_output_directory_is_refused(tmp_path, corpora, inside):
    out = tmp_path / "out"
    shutil.copytree(corpora["old-build"], out)
    source = out / inside
    if inside != ".":
        source.parent.mkdir(exist_ok=True)
        shutil.copy(corpora["new"], source)
    before = _contents(out)
    _refused(out, [source], "holds the input")
    _refused(out, [source], "holds the input", update=True, formats=None)
    assert _contents(out) == before


def _contents(directory: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in sorted(directory.rglob("*")) if path.is_file()}


def test_an_output_directory_that_is_a_file_or_unwritable_is_one_line(tmp_path, corpora):
    afile = tmp_path / "afile"
    afile.write_text("x")
    _refused(afile, [corpora["old"]], "not a directory; give a directory")
    _refused(afile / "sub", [corpora["old"]], "cannot write into the output directory: Not a directory")
    _refused(Path("/sys/kg-test-output"), [corpora["old"]], "cannot write into the output directory")
    _refused("", [corpora["old"]], "an empty output directory name")  # type: ignore[arg-type]
    for args in (["-o", str(afile)], ["-o", "/sys/kg-test-output"]):
        result = run_kg("build", str(corpora["old"]), *args, "--model", "none")
        assert result.returncode == 2
        assert result.stderr.startswith("kg: error: ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["build", "extract"])
def test_an_empty_output_name_is_refused(tmp_path, corpora, command):
    result = run_kg(command, str(corpora["old"]), "-o", "", "--model", "none", cwd=tmp_path)
    assert result.returncode == 2
    assert "'-o' / '--out': is empty" in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_build_that_fails_on_bad_input_keeps_the_earlier_build(tmp_path, corpora):
    out = tmp_path / "out"
    shutil.copytree(corpora["old-build"], out)
    before = build_state(out)
    bad = write_corpus(tmp_path / "bad.jsonl", [*sample_lines()[6:9], "{oops\n"])
    for update in (False, True):
        with pytest.raises(InputError, match="bad.jsonl:4: invalid JSON"):
            build_rules([bad], out, update=update, formats=None if update else FORMATS.split(","))
        assert build_state(out) == before
        assert not (out / STAGING_NAME).exists()


class _Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no cleanup."""


def test_a_switch_interrupted_after_any_rename_is_finished_by_the_next_run(tmp_path, corpora,
                                                                          monkeypatch):
    entries = sorted(path.name for path in corpora["new-build"].iterdir() if path.name != LOCK_NAME)
    renames = 2 * len(entries) + 1  # each earlier entry aside, each new one in, the marker
    for allowed in range(renames):
        out = tmp_path / f"out-{allowed}"
        shutil.copytree(corpora["old-build"], out)
        target = BuildDirectory(out, inputs=[corpora["new"]]).__enter__()
        for name in entries:
            source = corpora["new-build"] / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, target.staging / name)
        calls = []
        real_replace = os.replace

        def replace(source, destination, calls=calls, allowed=allowed):
            if len(calls) == allowed:
                raise _Killed
            calls.append(source)
            real_replace(source, destination)

        monkeypatch.setattr(os, "replace", replace)  # what kg.build.outdir renames with
        with pytest.raises(_Killed):
            target.commit()
        monkeypatch.setattr(os, "replace", real_replace)
        target._lock.__exit__()  # the kernel's part of a kill: the flock goes with the process
        check_output_directory(out, [corpora["new"]], update=False, force=False)
        notes = recover(out)
        assert build_state(out) == build_state(
            corpora["new-build"] if allowed else corpora["old-build"]), allowed
        assert notes and not (out / STAGING_NAME).exists() and not (out / ".kg-old").exists()


def test_a_stale_staging_directory_is_removed_and_said(tmp_path, corpora):
    out = tmp_path / "out"
    shutil.copytree(corpora["old-build"], out)
    (out / STAGING_NAME / "store").mkdir(parents=True)
    (out / STAGING_NAME / "papers.jsonl").write_text("half written")
    summary = build_rules([corpora["new"]], out, formats=FORMATS.split(","))
    assert f"removed {out / STAGING_NAME}: the unfinished outputs of an interrupted build " \
           "(the earlier build was kept)" in summary.notes
    assert build_state(out) == build_state(corpora["new-build"])


def test_the_lock_of_a_dead_build_is_taken_over_and_said(tmp_path, corpora):
    out = tmp_path / "out"
    shutil.copytree(corpora["old-build"], out)
    (out / LOCK_NAME).write_text("pid 999999, `kg build x -o out`, since 2026-01-01 00:00:00")
    summary = build_rules([corpora["new"]], out, formats=FORMATS.split(","))
    assert "took over the lock of a build that did not finish (pid 999999, `kg build x -o out`, " \
           "since 2026-01-01 00:00:00)" in summary.notes
    assert (out / LOCK_NAME).read_text() == ""


def test_a_held_lock_refuses_a_second_build_naming_the_holder(tmp_path, corpora):
    out = tmp_path / "out"
    shutil.copytree(corpora["old-build"], out)
    with DirectoryLock(out):
        result = run_kg("build", str(corpora["new"]), "-o", str(out), "--model", "none")
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"kg: error: {out}: another kg build is writing into this directory (pid {os.getpid()}, ")
    assert build_state(out) == build_state(corpora["old-build"])


def test_kg_extract_replaces_its_output_only_when_all_is_written(tmp_path, corpora):
    target = tmp_path / "records.jsonl"
    target.write_text("earlier records\n")
    bad = write_corpus(tmp_path / "bad.jsonl", [*sample_lines()[:2], "{oops\n"])
    failed = run_kg("extract", str(bad), "-o", str(target), "--model", "none", "-q")
    assert failed.returncode == 2 and "bad.jsonl:3: invalid JSON" in failed.stderr
    assert target.read_text() == "earlier records\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.jsonl", "records.jsonl"]
    done = run_kg("extract", str(corpora["old"]), "-o", str(target), "--model", "none", "-q")
    assert done.returncode == 0
    assert [json.loads(line)["id"] for line in target.read_text().splitlines()] == \
        [json.loads(line)["id"] for line in corpora["old-build"].joinpath("papers.jsonl").read_text().splitlines()]
    same = run_kg("extract", str(target), "-o", str(target), "--model", "none")
    assert same.returncode == 2 and "is also an input" in same.stderr


def test_the_readme_example_of_a_refused_directory_is_what_kg_prints(tmp_path, corpora):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    command, printed = re.search(r"\n\$ (kg build .* -o Documents)\n(kg: error: .*)\n", readme).groups()
    shutil.copy(corpora["old"], tmp_path / "papers.jsonl")
    (tmp_path / "Documents").mkdir()
    (tmp_path / "Documents" / "notes.txt").write_text("mine")
    result = run_kg(*command.split()[1:], cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == printed + "\n"
