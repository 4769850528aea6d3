"""New runs for the API: within the client's limits (runs going at once, runs started per minute), run in the
sandbox, stored as the checked Run the sandbox wrote again."""

import time
from typing import Protocol

from .graph import Run
from .limits import RunRate, Slots, StoredRate, Turns
from .sandbox.pool import runs_for
from .settings import Settings
from .store import Store


class RunsSnippets(Protocol):
    """What the runner needs of a sandbox (app.sandbox.Sandbox; tests use an in-process stand-in)."""

    torch_version: str | None

    def run_json(
        self, code: str, max_elements: int | None = None, run_id: str | None = None, fold: int | None = None
    ) -> tuple[Run, bytes]:
        """The Run of `code` and its JSON as the server stores it (Overloaded when no worker is free); the Run may be
        its view folded within `fold` nodes (`fold` set), or its head without graphs (see app.sandbox.Sandbox)."""
        ...

    def healthy(self) -> bool:
        """Whether it can run snippets now."""
        ...


LOST = ("WorkerLost", "Killed")  # errors that tell of the moment (a worker lost, a process killed), not of the code


def kept_status(run: Run) -> str:
    """The status the store keeps for a run: its own, or `lost` when its worker was lost or its process killed from
    outside (the kernel out of memory, the server stopping), or `short` when some of its explanations lack their
    numbers because its time ran short. The API runs such a run again when it is asked for again, as it does a
    timeout, instead of answering from storage for good what the moment made of it."""
    if run.status == "error" and run.error is not None and run.error.type in LOST:
        return "lost"
    if run.explained_short_of_time:  # (explained in part for want of time: how busy the machine was said so)
        return "short"
    return run.status


class Runner:
    """Runs snippets for clients in `sandbox` and saves them in `store`."""

    def __init__(self, settings: Settings, sandbox: RunsSnippets, store: Store):
        self.sandbox = sandbox
        self.store = store
        self.going = Slots(
            per_client=settings.max_client_concurrent_runs,
            total=None,  # the sandbox's own queue bounds the total
            what="runs going",
            setting="GRADWALK_MAX_CLIENT_CONCURRENT_RUNS",
            retry_after_s=settings.run_timeout_s,
        )
        # (of those, the runs it has running: one client flooding slow runs leaves workers to everyone else, whom it
        # would otherwise make wait for its runs; its runs past its share wait for its own)
        self.running = Turns(settings.client_running_runs(), "runs running", "GRADWALK_WORKERS_KEPT_FOR_OTHERS")
        # (how long such a run waits: its runs before it end within their time limit, and are settled)
        self.turn_wait_s = settings.run_timeout_s * 2 + 30
        self.rate = RunRate(settings.rate_limit_runs_per_min, settings.rate_limit_run_server_cpu_s)
        share = min(settings.rate_limit_stored_mb_per_hour, max(1, settings.keep_mb // 8))
        run_bytes = -(-(settings.keep_mb << 20) // settings.keep_runs)  # (a run's part of the byte budget, rounded up)
        self.stored = StoredRate(share * 2**20 if settings.rate_limit_stored_mb_per_hour else 0, run_bytes)

    def run(
        self, client: str, code: str, max_elements: int | None, run_id: str, fold: int | None = None
    ) -> tuple[Run, bytes]:
        """Run `code` for `client` and store it under `run_id`: the Run and its JSON (ClientBusy past the client's
        limits; IdTaken when another snippet's run was stored under `run_id` meanwhile). The run is stored whatever
        happens next: a caller that waits here in vain finds it when it asks again; the store's Pruner keeps the
        storage budgets."""
        with self.going.hold(client), self.running.hold(client, self.turn_wait_s):
            self.stored.check(client, time.time())
            self.rate.start(client, time.time())
            cpu_s = time.thread_time()  # (this thread's: the result is received, checked and stored here)
            try:
                with runs_for(client):  # (a freed worker goes first to the client that used them least)
                    run, data = self.sandbox.run_json(code, max_elements, run_id, fold)
                size = self.store.save_run(run_id, kept_status(run), data, code)
            finally:  # (work that failed, a check apart past its time limit, is charged too)
                self.rate.charge(client, time.time(), time.thread_time() - cpu_s)
            self.stored.add_run(client, time.time(), size)
        return run, data
