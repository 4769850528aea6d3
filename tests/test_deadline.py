"""Stopping the code in time to make its Run (app.capture.deadline), on a machine whose CPUs others share too."""

import time

import pytest

from app.capture import capture_here, deadline, prepare_source
from app.capture.record import EXPORT_S

from .oracle import LIMITS

BUSY = "print('started')\nwhile True:\n    pass\n"


def test_crowding_is_read_from_the_kernel_and_bounded():
    assert 1.0 <= deadline.crowding() <= deadline.MOST_CROWDED


def stopped_after(crowded: float, monkeypatch: pytest.MonkeyPatch) -> tuple[float, dict]:
    monkeypatch.setattr(deadline, "crowding", lambda: crowded)
    found: dict = {}
    started = time.monotonic()
    capture_here(
        prepare_source(BUSY),
        deliver=lambda run: found.update(run, delivered=time.monotonic() - started),
        run_cpu_s=60.0,
        run_timeout_s=2.0,
        **LIMITS,
    )
    return found["delivered"], found


def test_a_crowded_machine_stops_the_code_earlier_leaving_its_run_the_time_it_needs(monkeypatch):
    """The time left to make the Run is stretched by how crowded the CPUs are: on a machine loaded three times
    over, runs stopped 0.5 s before their wall clock's end were killed while making their Run, losing their graphs
    and what they printed."""
    quiet, run = stopped_after(1.0, monkeypatch)
    assert run["status"] == "timeout" and run["stdout"] == "started\n", run["error"]
    crowded, run = stopped_after(deadline.MOST_CROWDED, monkeypatch)
    assert run["status"] == "timeout" and run["stdout"] == "started\n", run["error"]
    assert quiet >= 2.0 - 2 * EXPORT_S and crowded < quiet - 0.8, (quiet, crowded)
