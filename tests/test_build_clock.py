"""The stage clock of a build: wall and CPU seconds per stage, nested stages, and the summary
of a streamed build timing every stage both ways."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import kg.build.clock
from kg.build.clock import StageClock
from kg.sample import SAMPLE_PATH
from scale_support import build_rules


@pytest.fixture
def ticking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wall time moves 10 s and CPU time 1 s at each reading."""
    wall, cpu = itertools.count(0, 10), itertools.count(0, 1)
    monkeypatch.setattr(kg.build.clock.time, "perf_counter", lambda: float(next(wall)))
    monkeypatch.setattr(kg.build.clock.time, "thread_time", lambda: float(next(cpu)))


def test_switching_charges_each_interval_to_the_stage_that_ran(ticking):
    clock = StageClock()
    clock.switch("read")      # readings at 0
    clock.switch("extract")   # 1: read += 1
    clock.switch("read")      # 2: extract += 1
    clock.switch(None)        # 3: read += 1
    clock.switch("store")     # 4: nothing ran
    clock.switch(None)        # 5: store += 1
    assert clock.seconds == {"read": 20, "extract": 10, "store": 10}
    assert clock.cpu == {"read": 2, "extract": 1, "store": 1}


def test_a_nested_stage_returns_to_the_one_before(ticking):
    clock = StageClock()
    clock.switch("write")
    with clock.stage("rdf-store"):
        pass
    clock.switch(None)
    assert clock.cpu == {"write": 2, "rdf-store": 1}
    with pytest.raises(ValueError), clock.stage("shared"):
        raise ValueError
    assert clock.cpu["shared"] == 1 and clock._running is None


@pytest.mark.parametrize("workers", [1, 2])
def test_a_streamed_build_times_its_stages_in_wall_and_cpu_seconds(tmp_path: Path, workers: int):
    summary = build_rules([SAMPLE_PATH], tmp_path / "out", stream=True, workers=workers)
    assert set(summary.cpu) == set(summary.seconds)
    assert {"read", "extract", "store", "broadcast", "partitions", "write", "shared", "rdf-store",
            "aggregate", "html"} <= set(summary.cpu)
    assert all(seconds >= 0 for seconds in summary.cpu.values())


def test_timed_items_charge_getting_each_one_to_the_stage(ticking):
    clock = StageClock()
    items = list(clock.timed([None, 0, "x"], "read"))  # None and 0 are items too
    assert items == [None, 0, "x"]
    assert clock.cpu == {"read": 4} and clock._running is None  # four gets: three items, then the end
