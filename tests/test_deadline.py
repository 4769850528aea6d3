"""Stopping the code in time to make its Run (app.capture.deadline), on a machine whose CPUs others share too."""

import time

import pytest

from app.capture import capture_here, deadline, prepare_source
from app.capture.record import EXPORT_S

from .oracle import LIMITS

BUSY = "print('started')\nwhile True:\n    pass\n"


def test_a_crowded_machine_stops_the_code_earlier_leaving_its_run_the_time_it_needs(monkeypatch: pytest.MonkeyPatch):
    """The time left to make the Run is stretched by how crowded the CPUs are: on a machine loaded three times
    over, runs stopped EXPORT_S before their wall clock's end were killed while making their Run, losing their
    graphs and what they printed. Here as crowded as it may be: stopped at once, not EXPORT_S before the end."""
    monkeypatch.setattr(deadline, "crowding", lambda: deadline.MOST_CROWDED)
    found: dict = {}
    started = time.monotonic()
    capture_here(
        prepare_source(BUSY),
        deliver=lambda run: found.update(run, delivered=time.monotonic() - started),
        run_cpu_s=60.0,
        run_timeout_s=2.0,
        **LIMITS,
    )
    assert found["status"] == "timeout" and found["stdout"] == "started\n", found["error"]
    assert found["delivered"] < 2.0 - EXPORT_S - 0.3, found["delivered"]


def test_looking_at_the_clocks_runs_none_of_the_snippets_code():
    """The look at how crowded the machine is read /proc with `open`, the snippet's if it replaced it: a spy on
    `builtins.open` saw eleven calls a second of CPU, and one that raises would have raised in the snippet."""
    source = (
        "import builtins, time\n"
        "seen, real_open = [], builtins.open\n"
        "def spy(path, *args, **kwargs):\n"
        "    seen.append(str(path))\n"
        "    return real_open(path, *args, **kwargs)\n"
        "builtins.open = spy\n"
        "x = torch.ones(4, requires_grad=True)\n"
        "end = time.process_time() + 0.3\n"
        "while time.process_time() < end:\n"
        "    y = (x * 2).sum()\n"
        "builtins.open = real_open\n"
        "print(seen)\n"
    )
    found: dict = {}
    capture_here(prepare_source(source), deliver=found.update, run_cpu_s=60.0, run_timeout_s=60.0, **LIMITS)
    assert (found["status"], found["stdout"]) == ("ok", "[]\n"), found["error"]


@pytest.mark.parametrize(
    ("schedstat", "crowded"),
    [(b"1000 500000000 3\n", 1.5), (b"2000000000 2000000000 90\n", 2.0), (b"2000000000 9000000000 90\n", 4.0)],
    ids=["slept", "crowded", "most"],
)
def test_crowding_weighs_waits_against_a_second_on_a_cpu_at_least(monkeypatch, schedstat, crowded):
    """A thread that mostly slept, waiting a little each time it woke, says little of how long making its Run will
    take: its waits are weighed against CROWDING_SEEN_NS at least (a sleeping snippet was stopped 1.3 s early)."""
    monkeypatch.setattr(deadline, "_read", lambda fd, size: schedstat)
    assert deadline.crowding() == crowded
