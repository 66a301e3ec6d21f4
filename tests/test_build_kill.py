"""Builds killed with SIGKILL at every stage leave one complete build, and the next run
recovers; two builds into one directory at once give one build and one clear lock error."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from build_state import FORMATS, build_state
from kg.build.outdir import STAGING_NAME
from scale_support import build_rules, sample_lines, write_corpus

STAGING = Path(STAGING_NAME)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Corpora (the first 15 sample papers, and papers 10-25) and reference builds."""
    root = tmp_path_factory.mktemp("kill")
    lines = sample_lines()
    found = {"old": write_corpus(root / "in" / "old.jsonl", lines[:15]),
             "new": write_corpus(root / "in" / "new.jsonl", lines[10:25])}
    for name, inputs in {"old-build": [found["old"]], "new-build": [found["new"]],
                         "updated-build": [found["old"], found["new"]]}.items():
        build_rules(inputs, root / name, formats=FORMATS.split(","))
        found[name] = root / name
    return found


def _kill_when(args: list[str], ready: Callable[[], bool]) -> None:
    """Run ``kg build ARGS`` and SIGKILL it as soon as ``ready()`` holds."""
    process = subprocess.Popen([sys.executable, "-m", "kg", "build", *args, "--model", "none",
                                "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    process.wait()
    assert process.returncode == -signal.SIGKILL, (
        f"the build ended ({process.returncode}) before the kill point: "
        f"{process.stderr.read().decode() if process.stderr else ''}")


# stage -> what exists in the staging directory once the build is in that stage
KILL_POINTS = {
    "extraction": STAGING / "store" / "kg.sqlite",
    "export": STAGING / "graph.ttl",
    "store load": STAGING / "store" / "rdf",
}


@pytest.mark.parametrize("update", [False, True], ids=["rebuild", "update"])
@pytest.mark.parametrize("stage", KILL_POINTS)
def test_a_killed_build_leaves_the_earlier_build_and_the_next_run_recovers(tmp_path, builds,
                                                                            stage, update):
    out = tmp_path / "out"
    shutil.copytree(builds["old-build"], out)
    before = build_state(out)
    trigger = out / KILL_POINTS[stage]
    args = ["--update", str(out)] if update else ["-o", str(out), "--formats", FORMATS]
    _kill_when([str(builds["new"]), *args], trigger.exists)

    assert build_state(out) == before
    rerun = build_rules([builds["new"]], out, update=update,
                        **({"formats": None} if update else {}))
    assert any("interrupted build" in note for note in rerun.notes)
    assert not (out / STAGING).exists()
    expected = builds["updated-build" if update else "new-build"]
    assert build_state(out) == build_state(expected)


def test_a_killed_first_build_leaves_nothing_and_the_next_run_builds(tmp_path, builds):
    out = tmp_path / "out"
    _kill_when([str(builds["old"]), "-o", str(out), "--formats", FORMATS],
               (out / KILL_POINTS["export"]).exists)
    assert sorted(path.name for path in out.iterdir()) == [".kg-lock", STAGING_NAME]
    build_rules([builds["old"]], out, formats=FORMATS.split(","))
    assert build_state(out) == build_state(builds["old-build"])


def _start(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kg", "build", *args, "--model", "none", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("update", [False, True], ids=["build", "update"])
def test_two_builds_into_one_directory_give_one_build_and_one_lock_error(tmp_path, builds, update):
    out = tmp_path / "out"
    shutil.copytree(builds["old-build"], out)
    # Both corpora: the first build runs long enough for the second to start meanwhile.
    args = [str(builds["old"]), str(builds["new"]),
            *(["--update", str(out)] if update else ["-o", str(out), "--formats", FORMATS])]
    first = _start(args)
    lock = out / ".kg-lock"
    deadline = time.monotonic() + 120
    while not lock.read_text() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    second = _start(args)
    second_out, second_err = second.communicate(timeout=300)
    first_out, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode == 2
    assert second_err.startswith(f"kg: error: {out}: another kg build is writing into this "
                                 f"directory (pid {first.pid}, `")
    assert second_err.count("\n") == 1
    assert build_state(out) == build_state(builds["updated-build"])


def test_an_update_after_a_killed_rebuild_keeps_the_earlier_papers(tmp_path, builds):
    out = tmp_path / "out"
    shutil.copytree(builds["old-build"], out)
    _kill_when([str(builds["new"]), "-o", str(out), "--formats", FORMATS],
               (out / KILL_POINTS["store load"]).exists)
    build_rules([builds["new"]], out, update=True, formats=None)
    assert build_state(out) == build_state(builds["updated-build"])
