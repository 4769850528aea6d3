"""Fixtures every test module may use: an in-process stand-in for the sandbox (the real capture engine, no jail),
an app client over it, the databases to try storage on; and the markers `make test-fast` leaves out."""

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from app.apart import Apart
from app.main import create_app
from app.sandbox import Sandbox
from app.settings import Settings
from app.store import Store, database_url, renders, runs

from .helpers import POSTGRES

WORKER_END_S = 0.2  # what a DataLoader worker a test left gets to end on its own, in seconds
JAIL_MODULES = (
    "test_sandbox.py",
    "test_kernel_memory.py",
    "test_pool.py",
    "test_realworld_sandbox.py",
)  # the isolation tests, which need root and bubblewrap
# Tests of other branches' modules that take half a minute or more here (the capture of a 100k-deep chain, then
# its checks): `slow`, until those branches make them quick.
SLOW = {
    "test_deep_chain_of_100k_ops_has_no_recursion_error",
    "test_corpus_matches_torch[deep_chain.py]",
    "test_a_template_explains_as_explain_node_would[deep_chain.py]",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the isolation tests `jail` and the slowest `slow`: `make test-fast` leaves them out."""
    for item in items:
        if item.path.name in JAIL_MODULES:
            item.add_marker(pytest.mark.jail)
        if item.name in SLOW:
            item.add_marker(pytest.mark.slow)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once every test is collected, what this process holds then (torch, the app, the tests and their parameters) is
    moved out of the cycle collector's sight, as the sandbox's workers do (app/sandbox/worker.py): it lives as long
    as the session, and each full collection walked all of it again (0.15 s each: a seventh of test_realworld.py's
    CPU time). What the tests make after is collected as before. torch's functions found through the
    collector, which sees no frozen object, are noted first, as the workers note them."""
    from app.capture.torch_internals import note_torch_functions

    note_torch_functions()
    gc.collect()
    gc.freeze()


def _children() -> set[int]:
    """This process's child processes (of every thread)."""
    found: set[int] = set()
    for task in Path("/proc/self/task").glob("*"):
        with suppress(OSError, ValueError):  # (a thread gone meanwhile; no /proc: nothing to do)
            found.update(int(pid) for pid in (task / "children").read_text().split())
    return found


@pytest.fixture(autouse=True)
def _workers_let_go() -> Iterator[None]:
    """A snippet run in plain torch here (the oracle) may leave DataLoader workers it forked, held by reference
    cycles through its namespace until the collector runs, which in a heap this large can be many minutes: forked
    after Playwright's driver started, they hold its pipe open, and the session's end waited for the driver for
    ever. A test that leaves new child processes has its cycles collected (the workers' iterators then stop them).
    A worker gets WORKER_END_S to end before it is terminated, not torch's 5 s (in the test too): a snippet whose
    workers failed, or were left mid-epoch, took 10 s to 20 s each here."""
    before = _children()
    data = sys.modules.get("torch.utils.data._utils")  # (not imported: no DataLoader ran, none will be patched)
    with patch.object(data, "MP_STATUS_CHECK_INTERVAL", WORKER_END_S) if data is not None else nullcontext():
        yield
        if _children() - before:
            gc.collect()


@pytest.fixture(autouse=True)
def _torch_settings_kept() -> Iterator[None]:
    """What a snippet run here (captured, or by the oracle) sets for the whole process is set back after its test, as
    each `python FILE` starts afresh: `torch.use_deterministic_algorithms(True)` in one real-world snippet made a later
    one, which prints whether it is on, differ from its run in the jail. (Not torch's threads: set again after each
    test, they changed the sums of later tests' runs against the oracle's.)"""
    import torch

    deterministic = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    yield
    torch.use_deterministic_algorithms(deterministic[0], warn_only=deterministic[1])


REPORTED = pytest.StashKey[list[str]]()


@pytest.fixture
def report(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Adds a line to what pytest prints at the end of every run (a size or a time worth seeing each time)."""
    return request.config.stash.setdefault(REPORTED, []).append


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    lines = config.stash.get(REPORTED, [])
    if lines:
        terminalreporter.write_sep("-", "reported by the tests")
        for line in lines:
            terminalreporter.write_line(line)


class InProcessSandbox(Sandbox):
    """The sandbox's server side (jobs, the check of every Run, ids) with each run captured in this process by the
    real engine instead of a jailed worker's child: for the tests of everything but isolation. Needs neither root
    nor bubblewrap; enforces no time or memory limit."""

    def start(self) -> None:
        import torch

        self.torch_version = torch.__version__

    def stop(self) -> None:
        pass

    def healthy(self) -> bool:
        return True

    def execute(self, job: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        from app.capture import capture, dumps

        return {"outcome": "ok"}, dumps(capture(job["code"], **job["capture"]))


@pytest.fixture(scope="session")
def in_process() -> Iterator[InProcessSandbox]:
    sandbox = InProcessSandbox(Settings())
    sandbox.start()
    yield sandbox


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> str:
    """The database URL setting for a test: empty (SQLite under the data dir) or the test PostgreSQL."""
    if request.param == "sqlite":
        return ""
    if POSTGRES is None:
        pytest.skip("set GRADWALK_TEST_DATABASE_URL to a PostgreSQL URL (make test does)")
    store = Store(database_url(POSTGRES, Path()))  # one database for every test: each starts with it empty
    try:
        with store.engine.begin() as connection:
            connection.execute(delete(renders))
            connection.execute(delete(runs))
    finally:
        store.close()
    return POSTGRES


@pytest.fixture(scope="session")
def processes_apart() -> Iterator[Apart]:
    """The processes apart (app.apart) of the apps make_client makes with the default GRADWALK_APART_* settings,
    started once: each app started a warm process of its own, whose imports (0.6 s of CPU) its stop waited for,
    about a second per test of a client."""
    settings = Settings()
    apart = Apart(settings.apart_count(), settings.apart_min_bytes, settings.apart_timeout_s)
    apart.start()
    yield apart
    apart.stop()


@pytest.fixture
def make_client(
    tmp_path: Path, in_process: InProcessSandbox, processes_apart: Apart
) -> Callable[..., AbstractContextManager[TestClient]]:
    """`make_client(**settings)`: a client of the app with these settings over a fresh data dir, running snippets
    in process (`sandbox=` another stand-in). Its processes apart are the session's, unless the settings change
    them (GRADWALK_APART_*)."""

    @contextmanager
    def make(sandbox: Any = in_process, **overrides: Any) -> Iterator[TestClient]:
        settings = Settings(**{"data_dir": tmp_path / "data", "workers": 2, **overrides})
        shared = processes_apart
        same = (settings.apart_count(), settings.apart_min_bytes, settings.apart_timeout_s)
        apart = shared if same == (shared.processes, shared.min_bytes, shared.timeout_s) else None
        with TestClient(create_app(settings, sandbox=sandbox, apart=apart)) as client:
            yield client

    return make


@pytest.fixture
def client(make_client: Callable[..., AbstractContextManager[TestClient]], database: str) -> Iterator[TestClient]:
    """The app over a fresh store (SQLite, then PostgreSQL), running snippets in process."""
    with make_client(database_url=database, max_request_bytes=65536, max_source_bytes=20_000) as test_client:
        yield test_client
