"""Stopping the code in time to make its Run (app.capture.deadline), on a machine whose CPUs others share too."""

import time

import pytest

from app.capture import capture_here, deadline, prepare_source
from app.capture.explanation import Explainer
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


CONV_STEPS = """
torch.set_num_threads(1)
model = nn.Sequential(nn.Conv2d(3, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(),
                      nn.Conv2d(32, 32, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for step in range(100_000):
    loss = F.cross_entropy(model(torch.randn(64, 3, 40, 40)), torch.randint(0, 10, (64,)))
    opt.zero_grad()
    loss.backward()
    opt.step()
"""


def test_a_run_stopped_for_time_makes_its_run_within_its_time_however_costly_its_explanations(
    monkeypatch: pytest.MonkeyPatch,
):
    """A convolution's explanation works out its numbers from its tensors (0.1-0.5 s each), whatever the nodes the
    time left at the stop was reckoned by: a CNN's training steps, stopped for their CPU time, spent 1.3 s making
    their Run with 0.5 s left, and the sandbox's limit killed the run, its graphs and output lost. The explanations
    past half the time left have their formulas only, and say why. Each full explanation here costs 0.03 s of CPU
    more, as on a machine slower than this one: a fast machine explained every node in time, and the test then
    proved nothing. (A little each: the stop is looked at between two explanations, and 0.3 s each ran past it.)"""
    full = Explainer.explain

    def costly(self, *args, **kwargs):
        if args[-1] is None:  # (in full, not past a bound with its formulas only)
            end = time.process_time() + 0.03
            while time.process_time() < end:
                pass
        return full(self, *args, **kwargs)

    monkeypatch.setattr(Explainer, "explain", costly)
    cpu_s = 4.0
    found: dict = {}
    started = time.process_time()
    capture_here(
        prepare_source(CONV_STEPS),
        deliver=lambda run: found.update(run, spent=time.process_time() - started),
        run_cpu_s=cpu_s,
        run_timeout_s=600.0,
        **{**LIMITS, "max_elements": 64, "record_cpu_s": cpu_s / 2},
    )
    assert found["status"] == "timeout" and found["error"]["type"] == "Timeout", found["error"]
    assert found["spent"] < cpu_s, found["spent"]
    words = [n["explain"]["words"]["en"] for n in found["backward"]["nodes"] if n["explain"] is not None]
    short = sum("GRADWALK_RUN_CPU_S" in w for w in words)
    assert 0 < short <= found["explained_short_of_time"], (short, found["explained_short_of_time"])


def test_a_del_that_runs_on_at_the_end_is_stopped_for_time_as_the_snippets_other_code():
    """A `__del__` called as Python's exit frees the snippet's objects runs the snippet's code too: stopped there for
    its time, the run said `ok`, its stop reported on standard error as an "Exception ignored in" of gradwalk's own
    code (the collector's report of an error in a `__del__`)."""
    source = (
        "class Closer:\n"
        "    def __del__(self):\n"
        "        print('closing')\n"
        "        while True:\n"
        "            pass\n"
        "closer = Closer()\n"  # (one: a second, never finalized, would loop when this process frees it later)
        "print('made')\n"
    )
    found: dict = {}
    capture_here(prepare_source(source), deliver=found.update, run_cpu_s=60.0, run_timeout_s=2.0, **LIMITS)
    assert found["status"] == "timeout" and found["error"]["line"] in (4, 5), found["error"]
    assert (found["stdout"], found["stderr"]) == ("made\nclosing\n", "")
