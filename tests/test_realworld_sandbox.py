"""Real-world snippets through the sandbox, as `gradwalk capture FILE` runs them: tests/test_realworld.py checks
the whole corpus in-process, where none of the jail's rules applies (its system-call filter, rlimits, a scratch
directory of its own, no network) and whose process differs (a worker forked, warmed and with its objects frozen).
Here the snippets that use the operating system (threads, DataLoader workers, processes, signals, files, sockets,
torch.compile) or put wrappers of their own in place of torch's functions, and one in every 200 of the rest, must
print what plain Python prints and end as it ends: a rule of the jail, or a state of the worker, that breaks ordinary
code shows up here."""

import concurrent.futures
import os
import re

import orjson
import pytest

from app.graph import encode
from app.sandbox import Sandbox

from .helpers import needs_jail
from .oracle import check_output_and_error
from .test_realworld import REALWORLD
from .test_sandbox import SETTINGS

pytestmark = needs_jail

USES_THE_SYSTEM = re.compile(
    r"threading|multiprocessing|num_workers=[1-9]|import signal|subprocess|tempfile|socket|torch\.compile|asyncio"
    r"|concurrent\.futures|os\.fork|mmap|ctypes|shutil|torch\.save|open\("
    r"|^(F|torch|nn|torch\.nn\.functional)\.[\w.]+ = ",  # (a torch function replaced by the snippet's own)
    re.M,
)
EVERY = 200
ALL = sorted(REALWORLD.glob("*.py"))
CHOSEN = [p.name for i, p in enumerate(ALL) if USES_THE_SYSTEM.search(p.read_text(encoding="utf-8")) or i % EVERY == 0]
# The default limits but time (the jail's rules are under test, not how fast a loaded machine runs them), and uids
# of their own: these run in the second pytest of `make test`, beside test_sandbox.py's (61500 and up) and the
# servers' (61120 and up); the pool takes the first free ones from there.
LIMITS = {"run_timeout_s": 60, "run_cpu_s": 40, "run_memory_mb": 2048, "max_nodes": 100_000, "workers": 2}
UID = 62200


@pytest.fixture(scope="module")
def runs():
    """Every chosen snippet's Run, two at a time, as `gradwalk capture FILE` makes it (its file's name and argv)."""
    sandbox = Sandbox(SETTINGS.model_copy(update={**LIMITS, "sandbox_uid": UID}))
    sandbox.start()

    def one(name: str) -> dict:
        path = str(REALWORLD / name)
        job = sandbox.job((REALWORLD / name).read_text(encoding="utf-8"))
        job["capture"].update({"file": path, "argv0": path})
        header, body = sandbox.execute(job)
        return orjson.loads(encode(sandbox.to_run(header, body, job["capture"]["max_elements"])))

    try:
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            yield dict(zip(CHOSEN, pool.map(one, CHOSEN), strict=True))
    finally:
        sandbox.stop()


def test_the_choice_holds_the_snippets_that_use_the_system():
    assert len(CHOSEN) >= 30
    for name in ("dataloader_num_workers_collate.py", "threadpool_per_sample.py", "monkeypatch_repr_shape_prefix.py"):
        assert name in CHOSEN or not (REALWORLD / name).exists()


@pytest.mark.parametrize("name", CHOSEN)
def test_a_real_world_snippet_in_the_sandbox_prints_and_ends_as_plain_python(runs, name, monkeypatch):
    for variable in [v for v in os.environ if v.startswith("GRADWALK_")]:  # (make test's own: `python FILE` has none)
        monkeypatch.delenv(variable)
    check_output_and_error(runs[name], (REALWORLD / name).read_text(encoding="utf-8"))
