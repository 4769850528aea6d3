"""Work on big Runs apart from the server's process (app/apart.py)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.apart import Apart, ApartLost
from app.graph import InvalidRun, encode, parse_run
from app.sandbox.pool import stored_json
from app.settings import Settings

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
