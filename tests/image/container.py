"""The image, tested as one container with podman (`make test-image` runs this after `make image`).

It starts the image as docs/deploy.md documents it (the sandbox on, with the options listed there and no
more), then checks: /healthz, the seed's six examples with the tutorial's numbers through the API, drawings,
hostile snippets from tests/test_sandbox.py and a few about the container itself, that each listed option is
needed, that runs survive `podman restart`, the image's HEALTHCHECK, and the single-user mode
(`--user gradwalk -e GRADWALK_SANDBOX=off`). It prints the image's size, the time to the first healthy answer
and the container's memory. Every call has a time limit; the containers and volumes it made are removed on
the way out, also after Ctrl-C or SIGTERM.
"""

import ast
import json
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The folder is not a package: the tests run with the machine's python3, outside the virtualenv.
from harness import (
    IMAGE,
    LABEL,
    ROOT,
    SEED_NAMES,
    Checks,
    Failed,
    Stop,
    check_seed,
    cleanup,
    free_port,
    http,
    log,
    podman,
    remove_leftovers,
    run_main,
    seed_code,
    wait_healthy,
)

TAG = f"gradwalk-test-{secrets.token_hex(3)}"
SECRET = f"container-secret-{secrets.token_hex(12)}"
# The documented podman line (docs/deploy.md, "One container"): only these two capabilities are added.
SANDBOX_OPTIONS = ["--init", "--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN"]
WORKERS = "2"
START_S = 180  # longest wait for /healthz: two workers import torch on two cores


def hostile_from_the_suite() -> list[tuple[str, str, str, str | None]]:
    """SOAK_HOSTILE from tests/test_sandbox.py, as (name, code, status, error type): the suite's own list."""
    tree = ast.parse((ROOT / "tests" / "test_sandbox.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "SOAK_HOSTILE" for t in node.targets):
            return [tuple(case) for case in ast.literal_eval(node.value)]
    raise Failed("tests/test_sandbox.py has no SOAK_HOSTILE list any more")


# Hostile snippets about the container itself: what the server holds must stay out of reach.
CONTAINER_HOSTILE = [
    (
        "environment_and_proc",
        "import glob, os\nprint(sorted(os.environ.items()))\n"
        "for p in sorted(glob.glob('/proc/*/environ')) + ['/proc/1/environ']:\n"
        "    try:\n        print(p, open(p, 'rb').read())\n"
        "    except OSError as e:\n        print(p, type(e).__name__)\n",
        "ok",
        None,
    ),
    ("data_volume", "import os\nprint(os.path.exists('/data'), sorted(os.listdir('/')))", "ok", None),
    ("socket_to_server", "import socket\nsocket.create_connection(('127.0.0.1', 8000), timeout=2)", "error", None),
    ("start_a_program", "import subprocess\nsubprocess.run(['/usr/bin/id'])", "error", "PermissionError"),
    ("write_the_virtualenv", "open('/gradwalk/venv/evil.py', 'w').write('x')", "error", None),
]


def main() -> int:
    checks = Checks("test-image")
    podman("image", "exists", IMAGE)
    size = int(podman("image", "inspect", IMAGE, "--format", "{{.Size}}").stdout)
    checks.number(f"image {IMAGE}: {size / 2**20:.0f} MiB ({size} bytes)")
    remove_leftovers()
    made: list[str] = []
    volumes: list[str] = []

    def remove_made():
        for name in made:
            podman("rm", "-f", "-v", "-t", "0", name, check=False, timeout=120)
        for name in volumes:
            podman("volume", "rm", "-f", name, check=False)

    with cleanup(remove_made):
        try:
            sandboxed(checks, made, volumes)
            single_user(checks, made, volumes)
            own_user_namespace(checks, made, volumes)
            options_needed(checks, made)
        except Stop as stop:
            log(f"stopped after the essential check {stop} failed")
            for name in made:
                tail = podman("logs", "--tail", "30", name, check=False, quiet=True)
                log(f"--- last lines of {name}:\n{tail.stdout}{tail.stderr}")
    return checks.summary()


def run_container(made: list[str], volumes: list[str], name: str, options: list[str], port: int) -> None:
    volume = f"{name}-data"
    podman("volume", "create", "--label", LABEL, volume)
    volumes.append(volume)
    made.append(name)
    podman("run", "-d", "--name", name, "--label", LABEL, "-p", f"127.0.0.1:{port}:8000", "-v", f"{volume}:/data",
           *options, IMAGE)  # fmt: skip


def post(base: str, code: str, timeout: float = 60) -> dict:
    status, _, body = http("POST", f"{base}/api/runs", {"code": code}, timeout=timeout)
    if status != 201:
        raise Failed(f"POST /api/runs: {status} {body[:300]!r}")
    return json.loads(body)


def sandboxed(checks: Checks, made: list[str], volumes: list[str]) -> None:
    name = f"{TAG}-sandbox"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    options = [*SANDBOX_OPTIONS, "-e", f"GRADWALK_WORKERS={WORKERS}", "-e", f"SERVER_SECRET={SECRET}"]

    def running() -> bool:
        return (
            podman("inspect", name, "--format", "{{.State.Running}}", check=False, quiet=True).stdout.strip() == "true"
        )

    started = time.monotonic()
    checks.check(
        "the documented podman run starts", lambda: run_container(made, volumes, name, options, port), essential=True
    )

    def healthy():
        _, health = wait_healthy(base, START_S, running)
        total = time.monotonic() - started
        if health.get("status") != "ok" or health.get("sandbox") != "on" or health.get("workers") != int(WORKERS):
            raise Failed(f"/healthz: {health}")
        checks.number(f"first healthy answer {total:.1f} s after `podman run` (sandbox on, {WORKERS} workers)")
        return health

    health = checks.check("/healthz answers 200 with the sandbox on", healthy, essential=True)
    if not str(health.get("torch_version", "")).endswith("+cpu"):
        checks.failed.append(f"torch is not the CPU build: {health}")

    def processes():
        table = [line.split(None, 2) for line in podman("top", name, "huser", "user", "args").stdout.splitlines()[1:]]
        workers = [row for row in table if "app.sandbox.worker" in row[2] and not row[2].startswith("bwrap")]
        server = [row for row in table if "gradwalk serve" in row[2]]
        shown = "\n".join(" ".join(row)[:160] for row in table)
        if len(workers) < int(WORKERS) or not server:
            raise Failed(f"no server or too few workers in `podman top`:\n{shown}")
        uids = {int(row[0]) for row in workers}
        if not uids <= set(range(61000, 61000 + int(WORKERS))) or {row[0] for row in server} != {"root"}:
            raise Failed(f"the workers should run as 61000+, the server as root:\n{shown}")

    checks.check("workers run as uids 61000+ and the server as root (podman top)", processes)

    def no_capabilities():
        code = (
            "import os\nprint(os.getuid(), *[l.split()[1] for l in open('/proc/self/status') if l.startswith('Cap')])"
        )
        uid, *caps = post(base, code)["stdout"].split()
        if not 61000 <= int(uid) < 61000 + int(WORKERS) or set(caps) != {"0000000000000000"}:
            raise Failed(f"a run's uid {uid} and capability sets {caps} (CapInh, CapPrm, CapEff, CapBnd, CapAmb)")

    checks.check("a run has its worker's uid and no capability, not even in its bounding set", no_capabilities)

    runs: dict[str, dict] = {}

    def seed(name_):
        run = post(base, seed_code(name_))
        check_seed(name_, run)
        runs[name_] = run

    for example in SEED_NAMES:
        checks.check(f"seed {example}: the tutorial's numbers through the API", lambda e=example: seed(e))

    def drawings():
        run_id = runs["6_linear_2d.py"]["id"]
        for view, fmt, kind in (("forward", "svg", "image/svg+xml"), ("backward", "svg", "image/svg+xml"),
                                ("forward", "png", "image/png"), ("backward", "dot", "text/vnd.graphviz")):  # fmt: skip
            status, headers, body = http("GET", f"{base}/api/runs/{run_id}/{view}.{fmt}")
            if status != 200 or not headers.get("content-type", "").startswith(kind.split(";")[0]):
                raise Failed(f"{view}.{fmt}: {status} {headers.get('content-type')} {body[:200]!r}")
            if fmt == "svg" and b"<svg" not in body:
                raise Failed(f"{view}.svg holds no <svg>")
        status, _, page = http("GET", f"{base}/runs/{run_id}")
        if status != 200 or run_id.encode() not in page:
            raise Failed(f"the permalink page /runs/{run_id}: {status}")

    checks.check("drawings (svg, png, dot) and the permalink page", drawings)

    for case_name, code, status, kind in hostile_from_the_suite() + CONTAINER_HOSTILE:

        def contained(code=code, status=status, kind=kind):
            run = post(base, code, timeout=90)
            error = run.get("error") or {}
            if run["status"] != status or (kind is not None and error.get("type") != kind):
                raise Failed(f"expected {status}/{kind}, got {run['status']}/{error.get('type')}: {error}")
            dump = json.dumps(run)
            if SECRET in dump or "SERVER_SECRET" in dump:
                raise Failed("the server's environment reached the run")
            if code.startswith("import os\nprint(os.path.exists('/data')") and not run["stdout"].startswith("False"):
                raise Failed(f"the jail sees /data: {run['stdout']}")

        checks.check(f"hostile {case_name}: {status} and contained", contained)

    def still_serving():
        wait_healthy(base, 60)
        number = secrets.randbelow(1000) + 2
        run = post(base, f"x = torch.tensor({number}.0, requires_grad=True)\n(x * x).backward()\nprint(x.grad.item())")
        if run["status"] != "ok" or run["stdout"] != f"{2.0 * number}\n":
            raise Failed(f"a benign run after the hostile ones: {run['status']} {run['stdout']!r}")

    checks.check("after the hostile snippets: healthy, and a new run is right", still_serving)

    def memory():
        usage = podman("stats", "--no-stream", "--format", "{{.MemUsage}}", name).stdout.strip()
        checks.number(f"memory of the container ({WORKERS} workers, after the runs above): {usage}")

    checks.check("podman stats", memory)

    def healthcheck():
        done = podman("healthcheck", "run", name, check=False, timeout=60)
        if done.returncode != 0:
            raise Failed(f"the image's HEALTHCHECK: {done.stdout.strip()} {done.stderr.strip()}")

    checks.check("the image's HEALTHCHECK passes (podman healthcheck run)", healthcheck)

    def restart():
        before = time.monotonic()
        podman("restart", "-t", "20", name, timeout=120)
        wait_healthy(base, START_S, running)
        checks.number(f"healthy again {time.monotonic() - before:.1f} s after `podman restart`")
        for example, run in runs.items():
            status, _, body = http("GET", f"{base}/api/runs/{run['id']}")
            if status != 200 or json.loads(body)["id"] != run["id"]:
                raise Failed(f"{example}'s run {run['id']} after the restart: {status}")
            check_seed(example, json.loads(body))
        again = post(base, seed_code("6_linear_2d.py"))
        if again["id"] != runs["6_linear_2d.py"]["id"]:
            raise Failed("the same code after the restart got another id")

    checks.check("runs survive `podman restart` (read back by id, same id for the same code)", restart)


def own_user_namespace(checks: Checks, made: list[str], volumes: list[str]) -> None:
    """The same options in a user namespace of the container's own (Kubernetes' hostUsers: false): the jail
    still starts, /proc still masked, and the workers' uids are the namespace's, not the host's 61000+."""
    name = f"{TAG}-userns"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    mapping = ["--uidmap", "0:200000:65536", "--gidmap", "0:200000:65536"]

    def works():
        run_container(made, volumes, name, [*mapping, *SANDBOX_OPTIONS, "-e", "GRADWALK_WORKERS=1"], port)
        wait_healthy(base, START_S)
        run = post(base, "import os\nprint(os.getuid())")
        if run["stdout"] != "61000\n":
            raise Failed(f"a run's uid inside: {run['stdout']!r}")
        table = [line.split(None, 1) for line in podman("top", name, "huser", "args").stdout.splitlines()[1:]]
        workers = {row[0] for row in table if "app.sandbox.worker" in row[1] and not row[1].startswith("bwrap")}
        if workers != {"261000"}:
            raise Failed(f"the worker's host uid should be 261000: {workers}")

    checks.check("in a user namespace of its own (--uidmap): the jail works, workers are host uid 261000", works)


def single_user(checks: Checks, made: list[str], volumes: list[str]) -> None:
    name = f"{TAG}-alone"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    options = ["--user", "gradwalk", "-e", "GRADWALK_SANDBOX=off", "-e", "GRADWALK_ALLOW_REMOTE_UNSANDBOXED=1"]
    options += ["-e", "GRADWALK_WORKERS=1"]  # (published on loopback only, as docs/deploy.md says)

    def start():
        run_container(made, volumes, name, options, port)
        _, health = wait_healthy(base, START_S)
        if health.get("sandbox") != "off":
            raise Failed(f"/healthz: {health}")

    checks.check("single-user mode: --user gradwalk -e GRADWALK_SANDBOX=off starts, no capability added", start)

    def works():
        run = post(base, seed_code("6_linear_2d.py"))
        check_seed("6_linear_2d.py", run)
        run = post(base, "import os\nprint(os.getuid(), os.getgid())")
        if run["stdout"] != "10001 10001\n":
            raise Failed(f"snippets should run as the gradwalk user: {run['stdout']!r}")
        users = {line.split()[0] for line in podman("top", name, "user").stdout.splitlines()[1:]}
        if users != {"gradwalk"}:
            raise Failed(f"processes in the single-user container run as {users}")

    checks.check("single-user mode: the tutorial's numbers; every process is the gradwalk user", works)


def options_needed(checks: Checks, made: list[str]) -> None:
    """Each option the docs list is needed: without it the server refuses to start, with the documented words."""
    for missing, words in (
        ("SYS_ADMIN", "Creating new namespace failed"),
        ("NET_ADMIN", "loopback: Failed RTM_NEWADDR"),
    ):
        at = SANDBOX_OPTIONS.index(missing)
        options = SANDBOX_OPTIONS[: at - 1] + SANDBOX_OPTIONS[at + 1 :]  # without "--cap-add MISSING"

        def refused(options=options, words=words, missing=missing):
            name = f"{TAG}-no-{missing.lower().replace('_', '-')}"
            made.append(name)
            done = podman("run", "--name", name, "--label", LABEL, "-e", "GRADWALK_WORKERS=1", *options, IMAGE,
                          check=False, timeout=180)  # fmt: skip
            output = done.stdout + done.stderr
            if done.returncode != 3 or words not in output:
                raise Failed(f"without {missing}: exit {done.returncode}, expected 3 and {words!r}:\n{output[-1500:]}")

        checks.check(f"without --cap-add {missing} the server refuses to start ({words})", refused)


if __name__ == "__main__":
    run_main(main)
