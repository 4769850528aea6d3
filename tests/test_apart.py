"""Work on big Runs apart from the server's process (app/apart.py)."""

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.apart import Apart, ApartLost
from app.graph import InvalidRun, encode, parse_run
from app.limits import Slots
from app.sandbox.pool import stored_json
from app.settings import Settings
from app.store import Store, database_url
from app.views import FoldQuery, TooBigToDraw, Views

from .helpers import CAPTURE, SQUARE


@pytest.fixture
def apart():
    where = Apart(2, 1000)
    where.start()
    yield where
    where.stop()


def test_big_work_is_done_in_another_process_and_small_work_in_place(apart):
    assert apart.call(999, os.getpid) == os.getpid()
    other = apart.call(1000, os.getpid)
    assert other != os.getpid()
    assert apart.call(1000, os.getpid) not in (other, os.getpid())  # (one process a piece of work)


def test_what_the_work_raises_is_raised_here_and_its_result_comes_back_whole(apart):
    with pytest.raises(InvalidRun, match=r"Expected `str`"):
        apart.call(10_000, parse_run, b'{"status": 12}' + b" " * 10_000)
    big = apart.call(1000, bytes, 40 << 20)
    assert len(big) == 40 << 20 and not any(big[:: 1 << 16])


def test_a_process_killed_at_its_work_fails_that_work_alone(apart):
    with pytest.raises(ApartLost, match="did not answer"):
        apart.call(1000, os._exit, 9)  # (as a process the kernel killed: no answer)
    assert apart.call(1000, sum, [1, 2]) == 3


def test_work_past_its_time_limit_ends_and_fails_that_work_alone():
    where = Apart(1, 0, timeout_s=0.5)
    where.start()
    try:
        began = time.monotonic()
        with pytest.raises(ApartLost, match=r"took more than 0.5 s \(GRADWALK_APART_TIMEOUT_S\)"):
            where.call(1, time.sleep, 30)  # (Python's timer interrupts it)
        assert time.monotonic() - began < 5
        assert where.call(1, sum, [1, 2]) == 3
    finally:
        where.stop()


def test_work_stuck_where_pythons_timer_cannot_reach_is_ended_by_cpu_time_and_the_server_stops_waiting():
    where = Apart(1, 0, timeout_s=0.5)
    where.start()
    try:
        assert where.call(1, sum, [1, 2]) == 3  # (its first work done: on a loaded machine, Python's timer went off
        # before that of the C loop began, and interrupted it there)
        began = time.monotonic()
        # (one C loop that never looks at signals: the kernel ends it; on a loaded machine the timer may still ring
        # before the loop begins, and end the work there)
        with pytest.raises(ApartLost, match=r"did not answer|took more than 0.5 s"):
            where.call(1, sum, range(10**11))
        assert time.monotonic() - began < 8
        assert where.call(1, sum, [1, 2]) == 3
    finally:
        where.stop()


def _catches_everything(pid_file: Path) -> None:
    pid_file.write_text(str(os.getpid()))
    for _ in range(300):
        with contextlib.suppress(Exception):  # (the time limit's exception, caught: the work goes on)
            time.sleep(0.1)


def test_work_that_catches_its_time_limit_ends_all_the_same(tmp_path):
    """Work that caught the timer's exception went on after the server had given up on it (a sleeping process
    takes no CPU time for the kernel's limit to end it). Its timer rings again a second later and ends it."""
    where = Apart(1, 0, timeout_s=0.5)
    where.start()
    pid_file = tmp_path / "pid"
    try:
        for _ in range(5):  # (on a loaded machine the timer may ring before the work begins: it caught nothing then)
            with pytest.raises(ApartLost):
                where.call(1, _catches_everything, pid_file)
            if pid_file.exists():
                break
    finally:
        where.stop()
    pid = int(pid_file.read_text())
    for _ in range(400):
        stat = Path(f"/proc/{pid}/stat")
        if not stat.exists() or ") Z " in stat.read_text():
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the work that caught its time limit outlived it")


def test_a_process_apart_is_the_first_the_kernel_ends_short_of_memory(apart):
    """A forged Run grows its process past a gigabyte: short of memory, the kernel ends it before other people's
    runs (which ask for 1000 too), not them first."""
    assert apart.call(1000, Path.read_text, Path("/proc/self/oom_score_adj")).strip() == "1000"


def test_a_warm_process_that_ended_is_started_again(apart):
    apart.warm.kill()
    apart.warm.wait()
    assert apart.call(1000, sum, [1, 2]) == 3


def test_the_warm_process_ends_with_the_server_however_it_ends():
    script = "from app.apart import Apart; a = Apart(1, 0); a.start(); print(a.warm.pid, flush=True); input()"
    with subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE) as server:
        warm = int(server.stdout.readline())
        server.kill()  # (SIGKILL: no clean-up of its own runs)
    for _ in range(100):
        stat = Path(f"/proc/{warm}/stat")
        if not stat.exists() or ") Z " in stat.read_text():  # (gone, or ended and not yet reaped)
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the warm process outlived the server")


def test_a_runs_json_checked_apart_is_the_one_checked_in_place_and_its_head_has_no_graphs(apart):
    from app.capture import capture, dumps

    body = dumps(capture(SQUARE, **CAPTURE))
    header = {"outcome": "ok"}
    settings = Settings()
    whole, data = stored_json(settings, header, body, None, "someRunId001", SQUARE)
    head, apart_data = apart.call(len(body), stored_json, settings, header, body, None, "someRunId001", SQUARE, True)
    assert apart_data == data == encode(whole) and parse_run(data) == whole
    assert (head.status, head.id, head.code, head.stdout) == (whole.status, whole.id, whole.code, whole.stdout)
    assert not head.forward.nodes and not head.backward.nodes and whole.backward.nodes


def test_a_childs_run_cannot_say_it_is_a_folded_view_nor_name_another_torch(apart):
    """`fold` and group nodes are the server's, in the views it folds, and the torch version is the worker's: a child's
    Run that said it was a view (of 123,456 groups, 2,000 of them expanded) was stored as one, answered unfolded for
    `?fold=50`, and its page said so and asked for its graphs with every expanded id (422, nothing drawn); one with a
    group node of an 8 MB label (a group's label has no length limit) was stored too."""
    import json

    from app.capture import capture, dumps

    honest = json.loads(dumps(capture(SQUARE, **CAPTURE)))
    forged = {**honest, "torch_version": "9.9.9", "fold": {"budget": 50, "expand": ["r1"] * 2000, "groups": 123456}}
    body = json.dumps(forged).encode()
    header, settings = {"outcome": "ok"}, Settings()
    for stored in (
        stored_json(settings, header, body, None, "someRunId001", SQUARE, False, None, None, "2.13.0"),
        apart.call(len(body), stored_json, settings, header, body, None, "someRunId001", SQUARE, True, 50, 0, "2.13.0"),
    ):
        run, data = stored[0], stored[1]
        assert run.fold is None and parse_run(data).fold is None, run.fold
        assert parse_run(data).torch_version == "2.13.0"
    group = {"kind": "group", "id": "ro9", "reason": "repeat", "label": "m" * 100_000, "count": 10**18}
    for graph in ("forward", "backward"):
        nodes = [*honest[graph]["nodes"], {**group, "members": [honest[graph]["nodes"][0]["id"]]}]
        body = json.dumps({**honest, graph: {**honest[graph], "nodes": nodes}}).encode()
        run = stored_json(settings, header, body, None, "someRunId001", SQUARE)[0]
        assert (run.status, run.error and run.error.type) == ("error", "SandboxError"), run.status
        assert "a group node" in run.error.message and not run.forward.nodes, run.error.message


class Undrawn(TooBigToDraw):
    """An exception whose class takes other arguments than its words: pickle writes it, and cannot make it again."""

    def __init__(self, nodes: int, limit: int):
        super().__init__(f"{nodes} nodes, past {limit}")


def _undrawn() -> None:
    raise Undrawn(5, 3)


class Unsent:
    def __reduce__(self):
        raise ValueError("not to be sent")


def _unsent() -> Unsent:
    return Unsent()


def test_an_exception_pickle_cannot_make_again_comes_back_as_the_first_of_its_classes_that_it_can(apart):
    """Undrawn(5, 3) came back as a TypeError of its `__init__` raised by pickle in the server's thread: a 500."""
    with pytest.raises(TooBigToDraw, match=r"^5 nodes, past 3$") as raised:
        apart.call(1000, _undrawn)
    assert type(raised.value) is TooBigToDraw  # (still a 413)


def test_a_result_pickle_cannot_send_is_a_clear_503_not_a_500(apart):
    """A result pickle could not carry came back as a RuntimeError with its whole repr (a 500), or, where pickle raised
    other than a TypeError, as a process lost."""
    with pytest.raises(ApartLost, match=r"could not send back its lock \(TypeError: cannot pickle"):
        apart.call(1000, threading.Lock)
    with pytest.raises(ApartLost, match=r"could not send back its Unsent \(ValueError: not to be sent\)"):
        apart.call(1000, _unsent)
    assert apart.call(1000, sum, [1, 2]) == 3


def test_work_asked_for_after_the_stop_starts_no_warm_process(apart):
    """A request still under way when the server stopped started a new warm process, that nothing ended."""
    apart.stop()
    with pytest.raises(ApartLost, match="stopping"):
        apart.call(1000, sum, [1, 2])
    assert apart.warm is None and apart.call(999, sum, [1, 2]) == 3  # (small work: in place, as ever)


def test_the_warm_process_imports_the_servers_own_app_whatever_its_working_directory(tmp_path, monkeypatch):
    """`python -m app.apart` put the server's working directory first: an `app` package there failed every piece of
    work (503s, one warm process started after another)."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("raise SystemExit('another app')\n")
    monkeypatch.chdir(tmp_path)
    where = Apart(1, 0)
    where.start()
    try:
        assert where.call(1, sum, [1, 2]) == 3
    finally:
        where.stop()


def test_the_warm_process_forks_from_one_thread_in_a_session_of_its_own(apart):
    """numpy's OpenBLAS started a thread per core in the warm process, which each fork copied (as held locks); a
    terminal's Ctrl-C went to the warm process and to the work under way too, not only to the server."""
    assert apart.call(1000, sum, [1, 2]) == 3  # (the warm process has imported what it imports)
    status = Path(f"/proc/{apart.warm.pid}/status").read_text()
    assert "\nThreads:\t1\n" in status
    assert os.getsid(apart.warm.pid) == apart.warm.pid != os.getsid(0)


CHAIN_40 = (
    "x = torch.randn(2, requires_grad=True)\ny = x\nfor i in range(40):\n    y = (y * 2).tanh()\ny.sum().backward()\n"
)


def test_a_runs_head_made_apart_is_not_taken_for_the_run_when_its_json_is_folded_in_place(tmp_path, apart):
    """A run that sent its Run padded with spaces past GRADWALK_APART_MIN_BYTES had it checked apart (its head, without
    graphs, came back) while its JSON, written again, was small: a folded view of it was the head's, within any fold,
    and the run came back unfolded."""
    from app.capture import capture, dumps

    body = dumps(capture(CHAIN_40, **CAPTURE))
    padded = body + b" " * len(body)
    settings = Settings()
    where = Apart(1, len(body) + 10_000)  # (the padded body is worked on apart, the JSON written again in place)
    where.start()
    try:
        head, data = where.call(
            len(padded), stored_json, settings, {"outcome": "ok"}, padded, None, "padRun000001", CHAIN_40, True
        )
    finally:
        where.stop()
    assert not where.wanted(len(data)) and not head.forward.nodes and len(parse_run(data).forward.nodes) > 100
    views = Views(
        settings, Store(database_url("", tmp_path)), Slots(per_client=1, total=1, what="d", setting="S"), None, where
    )
    folded = views.run_json("someone", "padRun000001", FoldQuery(fold=20), data, head)
    assert folded != data and len(parse_run(folded).forward.nodes) <= 20


RNN = (
    "cell = nn.RNNCell(2, 3)\nh = torch.zeros(1, 3)\nfor t in range(30):\n    h = cell(torch.ones(1, 2), h)\n"
    "h.sum().backward()\n"
)


def test_a_big_run_posted_with_a_fold_is_checked_and_folded_in_one_piece_of_work(make_client, monkeypatch):
    """A page's new run asks for its folded view: made apart from the Run being checked, in the same process, it is
    the view folding the stored run makes (the run's JSON was decoded twice: once to check it, once to fold it)."""
    from app.apart import Apart
    from tests.conftest import InProcessSandbox

    works = []
    call = Apart.call
    monkeypatch.setattr(
        Apart, "call", lambda self, size, work, *a: works.append(work.__name__) or call(self, size, work, *a)
    )
    apart = Apart(1, 0)
    apart.start()
    try:
        sandbox = InProcessSandbox(Settings(), apart=apart)
        sandbox.start()
        with make_client(sandbox=sandbox, apart_min_bytes=0) as client:
            folded = client.post("/api/runs?fold=40", json={"code": RNN})
            assert folded.status_code == 201 and folded.json()["fold"]["budget"] == 40
            assert works == ["stored_json"]
            again = client.get(f"/api/runs/{folded.json()['id']}?fold=40")
            whole = client.get(f"/api/runs/{folded.json()['id']}").json()
        assert whole["fold"] is None and len(whole["backward"]["nodes"]) > 40
    finally:
        apart.stop()
    with make_client(apart_min_bytes=1 << 30) as in_place:
        assert in_place.post("/api/runs?fold=40", json={"code": RNN}).json() == folded.json() == again.json()
