"""deploy/kubernetes/ played with `podman kube play` on this machine (`make test-image` runs this after
tests/image/container.py): PostgreSQL with its volume, the Secret, and the gradwalk Deployment's two replicas.

Checks: both replicas become healthy with the manifest's security context (and the jail inside them still
drops everything); the seed's six examples and the test suite's hostile snippets through replica 0; every run
made there read, drawn and found again through replica 1; replica 0 killed: replica 1 keeps answering and
nothing is lost; replica 0 back: it reads what replica 1 stored meanwhile; PostgreSQL restarted: its volume
kept every run.

What podman 4.3 (Debian bookworm's) needs that a cluster does not, done on a copy of the manifests and printed:
- the images are local: gradwalk's as `make image` tagged it, and for postgres:15-bookworm a stand-in made
  from Debian's PostgreSQL 15 (tests/image/postgres/), since no registry can be reached here;
- podman publishes every containerPort on the host's port of the same number, on every address, so two
  replicas would collide: the copy drops the containers' `ports:` (the probes name port 8000 by number), and the
  Services, which podman does not play;
- podman reads the Secret it stores from a `kind: Secret` document back as JSON only, so the test makes the
  podman secret itself, as JSON, from secret.yaml's stringData (with a fresh password in place of change-me);
- no cluster DNS: the PostgreSQL pod joins the test's network under the alias gradwalk-postgres, the Service's
  name, so the URL in the Secret works unchanged;
- podman names emptyDir volumes after the manifest, so the copy gives them the test's prefix.
The probes become podman health checks that nothing runs here (no systemd); the test asks /healthz itself.

Every request goes to 127.0.0.1:8000 inside a replica's own network namespace (`podman exec`): nothing is
published on the host. Everything is removed on the way out.
"""

import base64
import json
import re
import secrets
import subprocess
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
    log,
    podman,
    remove_leftovers,
    run_main,
    seed_code,
)

KUBE = ROOT / "deploy" / "kubernetes"
NETWORK = "gradwalk-kube-test"
PREFIX = "gradwalk-kube-test"
WORK = ROOT / "build" / "kube-test"
SECRET_NAME = "gradwalk-db"
PVC = "gradwalk-postgres-data"
POSTGRES_POD = "gradwalk-postgres-pod-0"
RECOVER_S = 90  # how long after PostgreSQL's restart each replica may take to read from it again
POSTGRES = f"{POSTGRES_POD}-postgres"
REPLICAS = [f"gradwalk-pod-{n}" for n in range(2)]
CONTAINERS = [f"{pod}-gradwalk" for pod in REPLICAS]
START_S = 240  # four workers (two per replica) import torch on two cores
SANDBOX_CAPS = {"CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP"}

# Inside a replica: one request to its own 127.0.0.1:8000, answered as {"status", "body"} on one line.
REQUEST = """
import json, sys, urllib.error, urllib.request
method, path, body = sys.argv[1], sys.argv[2], sys.argv[3]
request = urllib.request.Request("http://127.0.0.1:8000" + path, data=body.encode() if body else None,
                                 method=method, headers={"content-type": "application/json"})
try:
    with urllib.request.urlopen(request, timeout=float(sys.argv[4])) as answer:
        status, data = answer.status, answer.read()
except urllib.error.HTTPError as exc:
    status, data = exc.code, exc.read()
except OSError as exc:
    status, data = 0, str(exc).encode()
print(json.dumps({"status": status, "body": data.decode("utf-8", "replace")}))
"""


def ask(container: str, method: str, path: str, body: dict | None = None, timeout: float = 60) -> tuple[int, str]:
    text = "" if body is None else json.dumps(body)
    done = podman("exec", container, "python", "-c", REQUEST, method, path, text, str(timeout),
                  timeout=timeout + 30, check=False, quiet=True)  # fmt: skip
    if done.returncode != 0:
        raise Failed(f"{method} {path} in {container}: exec exited {done.returncode}: {done.stderr.strip()[-300:]}")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return answer["status"], answer["body"]


def post(container: str, code: str) -> dict:
    status, body = ask(container, "POST", "/api/runs", {"code": code}, timeout=90)
    if status != 201:
        raise Failed(f"POST /api/runs through {container}: {status} {body[:300]}")
    return json.loads(body)


def get_run(container: str, run_id: str) -> dict:
    status, body = ask(container, "GET", f"/api/runs/{run_id}")
    if status != 200:
        raise Failed(f"GET /api/runs/{run_id} through {container}: {status} {body[:300]}")
    return json.loads(body)


def wait_healthy(container: str, timeout: float) -> dict:
    started = time.monotonic()
    last = ""
    while time.monotonic() - started < timeout:
        state = podman("inspect", container, "--format", "{{.State.Status}}", check=False, quiet=True).stdout.strip()
        if state in ("exited", "stopped"):
            raise Failed(f"{container} stopped: {podman('logs', '--tail', '20', container, check=False).stderr}")
        if state == "running":
            try:
                status, body = ask(container, "GET", "/healthz", timeout=5)
                if status == 200:
                    return json.loads(body)
                last = f"{status} {body[:200]}"
            except Failed as exc:
                last = str(exc)
        time.sleep(1)
    raise Failed(f"{container}: /healthz not 200 in {timeout:.0f} s (last: {last})")


# -- the manifests, as podman 4.3 can play them -----------------------------------------------------------------


def documents(path: Path) -> list[str]:
    return [d for d in re.split(r"^---\s*$", path.read_text(encoding="utf-8"), flags=re.M) if d.strip()]


def kind(document: str) -> str:
    found = re.search(r"^kind:\s*(\S+)", document, re.M)
    return found.group(1) if found else ""


def for_podman(path: Path, images: dict[str, str]) -> Path:
    """A copy of the manifest file with what podman 4.3 needs changed (see the module's doc); the changes are
    printed."""
    kept = []
    for document in documents(path):
        if kind(document) in ("Service", "Secret"):
            log(f"   {path.name}: the {kind(document)} is not played (podman)")
            continue
        for old, new in images.items():
            document, count = re.subn(rf"^(\s+image:\s*){re.escape(old)}\s*$", rf"\g<1>{new}", document, flags=re.M)
            if count:
                log(f"   {path.name}: image {old} -> {new}")
        document, count = re.subn(r"^(\s+)ports:\n(?:\1[ -].*\n)+", "", document, flags=re.M)
        if count:
            log(f"   {path.name}: {count} containers' ports: dropped")
        document = re.sub(r"^(\s+- name:\s*)(tmp|data)\b", rf"\g<1>{PREFIX}-\g<2>", document, flags=re.M)
        kept.append(document.strip("\n") + "\n")
    WORK.mkdir(parents=True, exist_ok=True)
    copy = WORK / path.name
    copy.write_text("---\n".join(kept), encoding="utf-8")
    return copy


def secret_json(password: str) -> str:
    """secret.yaml's stringData as the JSON podman 4.3 reads back (values in base64), change-me replaced."""
    text = (KUBE / "secret.yaml").read_text(encoding="utf-8")
    block = re.search(r"^stringData:\n((?:[ ]+.*\n?)+)", text, re.M)
    if not block:
        raise Failed("secret.yaml has no stringData")
    values = {}
    for line in block.group(1).splitlines():
        key, _, value = line.strip().partition(":")
        values[key] = value.strip().replace("change-me", password)
    if set(values) != {"POSTGRES_PASSWORD", "GRADWALK_DATABASE_URL"}:
        raise Failed(f"secret.yaml's keys changed: {sorted(values)}")
    return json.dumps({k: base64.b64encode(v.encode()).decode() for k, v in values.items()})


def local_image(name: str) -> str:
    return name if "/" in name else f"localhost/{name}" + ("" if ":" in name else ":latest")


# -- the test ---------------------------------------------------------------------------------------------------


def tear_down(files: list[Path]) -> None:
    for file in reversed(files):
        if file.exists():
            podman("kube", "down", str(file), check=False, quiet=True, timeout=180)
    for pod in [*REPLICAS, POSTGRES_POD]:
        podman("pod", "rm", "-f", "-t", "0", pod, check=False, quiet=True, timeout=120)
    podman("secret", "rm", SECRET_NAME, check=False, quiet=True)
    for volume in (PVC, f"{PREFIX}-tmp", f"{PREFIX}-data"):
        podman("volume", "rm", "-f", volume, check=False, quiet=True)
    podman("network", "rm", "-f", NETWORK, check=False, quiet=True)


def main() -> int:
    checks = Checks("test-kube")
    podman("image", "exists", IMAGE)
    remove_leftovers()
    log("== the PostgreSQL stand-in (tests/image/postgres/)")
    made = subprocess.run(["bash", "-c", ". deploy/image/podman.sh && postgres_image"], cwd=ROOT, text=True,
                          capture_output=True, timeout=900)  # fmt: skip
    if made.returncode != 0:
        log(made.stderr)
        raise SystemExit("could not make the PostgreSQL stand-in image")
    postgres_image = made.stdout.strip().splitlines()[-1]
    images = {"gradwalk:latest": local_image(IMAGE), "postgres:15-bookworm": postgres_image}
    postgres_file = for_podman(KUBE / "postgres.yaml", images)
    gradwalk_file = for_podman(KUBE / "gradwalk.yaml", images)
    files = [postgres_file, gradwalk_file]
    tear_down(files)  # what a killed earlier run left
    with cleanup(lambda: tear_down(files)):
        try:
            play(checks, postgres_file, gradwalk_file)
        except Stop as stop:
            log(f"stopped after the essential check {stop} failed")
            for container in [POSTGRES, *CONTAINERS]:
                tail = podman("logs", "--tail", "25", container, check=False, quiet=True)
                log(f"--- last lines of {container}:\n{tail.stdout}{tail.stderr}")
    return checks.summary()


VALIDATOR = "kubernetes-validate==1.37.0"  # Kubernetes' own JSON schemas, offline, from PyPI
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")


def schemas_valid() -> None:
    """The files as a cluster would take them: every resource checked against Kubernetes' schemas, strictly (an
    unknown or misplaced field fails), for the oldest and newest Kubernetes the files are written for."""
    venv = ROOT / "build" / "kubernetes-validate"
    tool = venv / "bin" / "kubernetes-validate"
    if not tool.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
        done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", VALIDATOR], capture_output=True, text=True,
                              timeout=600)  # fmt: skip
        if done.returncode != 0:
            raise Failed(f"pip install {VALIDATOR}: {done.stderr[-500:]}")
    files = [str(KUBE / name) for name in ("secret.yaml", "postgres.yaml", "gradwalk.yaml")]
    for version in KUBERNETES_VERSIONS:
        done = subprocess.run([str(tool), "--strict", "--no-warn", "-k", version, *files], capture_output=True,
                              text=True, timeout=120)  # fmt: skip
        failures = [line for line in (done.stdout + done.stderr).splitlines() if not line.startswith("INFO")]
        if done.returncode != 0 or failures:
            raise Failed(f"Kubernetes {version}:\n" + "\n".join(failures))


def play(checks: Checks, postgres_file: Path, gradwalk_file: Path) -> None:
    password = secrets.token_urlsafe(18)
    checks.check(f"the files pass Kubernetes' schemas, strictly ({', '.join(KUBERNETES_VERSIONS)})", schemas_valid)

    def database():
        podman("network", "create", "--label", LABEL, NETWORK)
        created = subprocess.run(["podman", "secret", "create", SECRET_NAME, "-"], input=secret_json(password),
                                 text=True, capture_output=True, timeout=60)  # fmt: skip
        if created.returncode != 0:
            raise Failed(f"podman secret create: {created.stderr}")
        podman("kube", "play", "--network", f"{NETWORK}:alias=gradwalk-postgres", str(postgres_file), timeout=180)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            ready = podman("exec", POSTGRES, "pg_isready", "-U", "gradwalk", "-d", "gradwalk", "-h", "127.0.0.1",
                           check=False, quiet=True, timeout=30)  # fmt: skip
            if ready.returncode == 0:
                return
            time.sleep(1)
        raise Failed("PostgreSQL was not ready in 120 s")

    checks.check("PostgreSQL (postgres.yaml: volume claim, Deployment) is ready", database, essential=True)

    started = time.monotonic()

    def replicas():
        podman("kube", "play", "--network", NETWORK, str(gradwalk_file), timeout=300)
        pods = podman("pod", "ps", "--format", "{{.Name}}", "--filter", "label=app.kubernetes.io/name=gradwalk").stdout
        if sorted(pods.split()) != REPLICAS:
            raise Failed(f"expected the pods {REPLICAS}, podman has {pods.split()}")
        for container in CONTAINERS:
            health = wait_healthy(container, START_S)
            if health.get("sandbox") != "on" or health.get("workers") != 2:
                raise Failed(f"{container}: /healthz {health}")
        checks.number(f"both replicas healthy {time.monotonic() - started:.1f} s after `podman kube play`")

    checks.check("the Deployment's 2 replicas are healthy, sandbox on, 2 workers each", replicas, essential=True)

    def security_context():
        for container in CONTAINERS:
            config = json.loads(podman("inspect", container).stdout)[0]
            caps = set(config["EffectiveCaps"] or [])
            if caps != SANDBOX_CAPS:
                raise Failed(f"{container}'s capabilities: {sorted(caps)}, expected {sorted(SANDBOX_CAPS)}")
            if not config["HostConfig"]["ReadonlyRootfs"]:
                raise Failed(f"{container}: the root file system is writable")
        code = (
            "import os\nprint(os.getuid(), *[l.split()[1] for l in open('/proc/self/status') if l.startswith('Cap')])"
        )
        uid, *caps = post(CONTAINERS[0], code)["stdout"].split()
        if not 61000 <= int(uid) < 61002 or set(caps) != {"0000000000000000"}:
            raise Failed(f"a run's uid {uid} and capability sets {caps}")

    checks.check("only the 5 capabilities, read-only root; a run has uid 61000+ and no capability", security_context)

    made: dict[str, dict] = {}
    for example in SEED_NAMES:

        def seed(example=example):
            run = post(CONTAINERS[0], seed_code(example))
            check_seed(example, run)
            made[example] = run

        checks.check(f"seed {example} through replica 0: the tutorial's numbers", seed)

    from container import hostile_from_the_suite  # the suite's own list, read by the container test too

    for name, code, status, error_type in hostile_from_the_suite():

        def hostile(code=code, status=status, error_type=error_type):
            run = post(CONTAINERS[0], code)
            error = run.get("error") or {}
            if run["status"] != status or (error_type is not None and error.get("type") != error_type):
                raise Failed(f"expected {status}/{error_type}, got {run['status']}/{error.get('type')}")

        checks.check(f"hostile {name} through replica 0: {status}", hostile)

    def read_through_the_other():
        for example, run in made.items():
            again = get_run(CONTAINERS[1], run["id"])
            check_seed(example, again)
            if again["forward"] != run["forward"] or again["backward"] != run["backward"]:
                raise Failed(f"{example}: replica 1 serves other graphs than replica 0 made")

    checks.check("every run made through replica 0 is read through replica 1", read_through_the_other)

    def drawn_through_the_other():
        run_id = made["6_linear_2d.py"]["id"]
        for view in ("forward", "backward"):
            status, body = ask(CONTAINERS[1], "GET", f"/api/runs/{run_id}/{view}.svg")
            if status != 200 or "<svg" not in body:
                raise Failed(f"{view}.svg through replica 1: {status} {body[:200]}")
        status, page = ask(CONTAINERS[1], "GET", f"/runs/{run_id}")
        if status != 200 or run_id not in page:
            raise Failed(f"the permalink /runs/{run_id} through replica 1: {status}")

    checks.check("drawn through replica 1 (forward.svg, backward.svg) and its permalink page", drawn_through_the_other)

    def found_again():
        for example, run in made.items():
            again = post(CONTAINERS[1], seed_code(example))
            if again["id"] != run["id"]:
                raise Failed(f"{example}: replica 1 gave {again['id']} for the code replica 0 stored as {run['id']}")

    checks.check("the same code through replica 1 finds the stored run (same id, not run again)", found_again)

    def memory():
        for container in CONTAINERS:
            usage = podman("stats", "--no-stream", "--format", "{{.MemUsage}}", container).stdout.strip()
            checks.number(f"memory of {container} (2 workers): {usage}")

    checks.check("podman stats", memory)

    later: dict[str, str] = {}

    def kill_one():
        podman("pod", "kill", REPLICAS[0], timeout=60)
        health = wait_healthy(CONTAINERS[1], 30)
        if health.get("status") != "ok":
            raise Failed(f"replica 1 after replica 0 was killed: {health}")
        for example, run in made.items():
            check_seed(example, get_run(CONTAINERS[1], run["id"]))
        number = secrets.randbelow(1000) + 2
        run = post(CONTAINERS[1], f"x = torch.tensor({number}.0, requires_grad=True)\n(x ** 3).backward()\n")
        if run["status"] != "ok":
            raise Failed(f"a new run through replica 1: {run['status']}")
        later["id"], later["number"] = run["id"], str(number)

    checks.check("replica 0 killed: replica 1 answers, every run is still there, new runs work", kill_one)

    def back():
        before = time.monotonic()
        podman("pod", "start", REPLICAS[0], timeout=120)
        wait_healthy(CONTAINERS[0], START_S)
        checks.number(f"replica 0 healthy again {time.monotonic() - before:.1f} s after `podman pod start`")
        run = get_run(CONTAINERS[0], later["id"])
        x = next(n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == "x")
        if abs(x["grad"]["data"] - 3 * int(later["number"]) ** 2) > 1e-3 * 3 * int(later["number"]) ** 2:
            raise Failed(f"x.grad {x['grad']['data']} for x = {later['number']}")

    checks.check("replica 0 back: it reads the run replica 1 stored while it was down", back)

    def database_restart():
        # A run only replica 0 has in memory: replica 1 must read it from the database after the restart.
        fresh = post(
            CONTAINERS[0], f"w = torch.tensor({secrets.randbelow(1000)}.5, requires_grad=True)\nw.sum().backward()"
        )
        address = "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"
        before = podman("inspect", POSTGRES, "--format", address).stdout.strip()
        # stop, then start: podman 4.3's `pod restart` races the played container's restart policy (the new
        # container was sent the stop signal too, and ended 130 or 137 in about 1 of 2 restarts)
        podman("pod", "stop", POSTGRES_POD, timeout=120)
        podman("pod", "start", POSTGRES_POD, timeout=120)
        deadline, started_again = time.monotonic() + 120, False
        while True:
            ready = podman("exec", POSTGRES, "pg_isready", "-h", "127.0.0.1", check=False, quiet=True, timeout=20)
            if ready.returncode == 0:
                break
            state = podman("inspect", POSTGRES, "--format", "{{.State.Status}}", check=False, quiet=True).stdout
            if state.strip() in ("exited", "stopped", "created", "configured") and not started_again:
                # a container that ended after the start is started once more, as a cluster's Deployment would
                # (restartPolicy: Always), and the test says so
                logs = podman("logs", "--tail", "5", POSTGRES, check=False, quiet=True)
                checks.number(f"PostgreSQL's container was {state.strip()} after the restart: started again "
                              f"({(logs.stdout + logs.stderr).strip()[-300:] or 'no log'})")  # fmt: skip
                podman("pod", "start", POSTGRES_POD, timeout=120)
                started_again = True
            if time.monotonic() > deadline:
                logs = podman("logs", "--tail", "20", POSTGRES, check=False, quiet=True)
                raise Failed(
                    f"PostgreSQL did not come back in 120 s ({state.strip()}): {ready.stdout}{ready.stderr}\n"
                    f"{logs.stdout}{logs.stderr}"
                )
            time.sleep(1)
        after = podman("inspect", POSTGRES, "--format", address).stdout.strip()
        moved = before != after
        started = time.monotonic()

        def first_read(container: str, run_id: str) -> None:
            """A replica's first read from the restarted database: while its pool finds the database again it may
            answer 503 ("try again in a moment"), as a client is told to; it must read the run within RECOVER_S."""
            refused = 0
            while True:
                status, body = ask(container, "GET", f"/api/runs/{run_id}")
                if status == 200 and json.loads(body)["id"] == run_id:
                    break
                if status != 503 or time.monotonic() - started > RECOVER_S:
                    said = []
                    for replica in CONTAINERS:  # what each replica's storage said while it waited
                        logs = podman("logs", "--since", "5m", replica, check=False, quiet=True)
                        lines = [line for line in (logs.stdout + logs.stderr).splitlines() if "storage" in line]
                        said.append(f"{replica}:\n" + "\n".join(lines[-12:]))
                    raise Failed(
                        f"GET /api/runs/{run_id} through {container}, {time.monotonic() - started:.1f} s after the "
                        f"restart: {status} {body[:300]}\n" + "\n".join(said)
                    )
                refused += 1
                time.sleep(1)
            checks.number(
                f"{container}'s first database read after PostgreSQL's restart ({'new' if moved else 'same'} address "
                f"{after}): {time.monotonic() - started:.1f} s after it, {refused} answers 503 before"
            )

        first_read(CONTAINERS[1], fresh["id"])  # (a run only replica 0 had in memory)
        first_read(CONTAINERS[0], next(iter(made.values()))["id"])  # (a run it forgot when it was restarted)
        for container in CONTAINERS:
            for example, run in made.items():
                check_seed(example, get_run(container, run["id"]))

    checks.check("PostgreSQL restarted: its volume kept every run, both replicas read them", database_restart)


if __name__ == "__main__":
    run_main(main)
