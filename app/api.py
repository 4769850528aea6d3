"""The REST API: thin routes over the sandbox, the store and the renderer."""

import hashlib
import ipaddress
import math
import re
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StrictStr, StringConstraints, field_validator

from .examples import EXAMPLES
from .fold import fold_run
from .gc_pause import gc_paused
from .graph import Run, encode, make_run_id, parse_run
from .render import RenderError, render, to_dot
from .sandbox import Overloaded, Sandbox
from .settings import Settings
from .store import Store

router = APIRouter()
RUN_ID = re.compile(r"[0-9A-Za-z]{1,32}")
JSON = "application/json"
# Runs that say more about the moment than about the code: asked again, they run again.
TRANSIENT = ("timeout",)
MEDIA = {"dot": "text/vnd.graphviz; charset=utf-8", "svg": "image/svg+xml", "png": "image/png"}


class RunOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_elements: int | None = Field(
        None, ge=1, le=10_000, description="Values per tensor summary (default: the server's GRADWALK_MAX_ELEMENTS)."
    )


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: StrictStr = Field(description="The snippet, as pasted: torch, nn and F come pre-imported.")
    options: RunOptions = RunOptions()

    @field_validator("code")
    @classmethod
    def _no_nul(cls, code: str) -> str:
        if "\0" in code:
            raise ValueError("code must not contain NUL characters")
        try:
            code.encode()
        except UnicodeEncodeError as exc:  # JSON may spell one (\ud800); UTF-8 has none
            raise ValueError(f"code must be Unicode text: a lone surrogate at character {exc.start}") from None
        return code


class Example(BaseModel):
    id: str
    title: str = Field(description="The title, in Korean as the tutorial gives it.")
    title_en: str
    about: str = Field(description="What the example shows, in Korean (the tutorial's own words where it has them).")
    about_en: str
    code: str


class Health(BaseModel):
    status: Literal["ok"]
    sandbox: Literal["on", "off"]
    workers: int
    torch_version: str | None


class Problem(BaseModel):
    detail: str


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_sandbox(request: Request) -> Sandbox:
    sandbox = request.app.state.sandbox
    if sandbox is None:
        raise HTTPException(503, "the sandbox is not running", headers={"Retry-After": "5"})
    return sandbox


class FoldQuery(BaseModel):
    """A folded view of the stored run (the run itself keeps every node)."""

    fold: int | None = Field(
        None,
        ge=1,
        le=10_000_000,
        description="Fold repeated blocks into one node with a count, and module calls while a graph has more "
        "than this many nodes. Absent: every node.",
    )
    # bounded so that a request line stays well under the HTTP server's limit (about 64 KiB)
    expand: list[Annotated[str, StringConstraints(max_length=24)]] = Field(
        [], max_length=100, description="Ids of groups of a folded view to show unfolded."
    )

    def key(self) -> str:
        """A short name for this view and the code that folds it, for the render cache."""
        digest = hashlib.sha256("\0".join([MADE_BY, *sorted(self.expand)]).encode()).hexdigest()[:8]
        return f"f{self.fold}-{digest}"


# Cached pictures and folded views are named after the code that made them as well: after an upgrade that
# draws or folds differently they are made again, not served stale. (Names stay within the store's 32.)
MADE_BY = hashlib.sha256(
    b"".join((Path(__file__).parent / name).read_bytes() for name in ("fold.py", "graph.py", "render.py"))
).hexdigest()[:8]


SettingsDep = Annotated[Settings, Depends(get_settings)]
FoldDep = Annotated[FoldQuery, Query()]
StoreDep = Annotated[Store, Depends(get_store)]
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]
SEED = EXAMPLES[5].code
RUN_ANSWER = {"content": {JSON: {"schema": {"$ref": "#/components/schemas/Run"}}}, "description": "The Run."}
ERRORS = {
    404: {"model": Problem, "description": "No run with that id."},
    413: {"model": Problem, "description": "The body or the snippet is too large."},
    422: {"description": "The request is not valid; `detail` says where."},
    429: {
        "model": Problem,
        "description": "This client started too many runs, or already has a view or picture under way; see "
        "Retry-After.",
    },
    503: {"model": Problem, "description": "Every worker, or every drawing slot, is busy; see Retry-After."},
}


def client_key(request: Request) -> str:
    """Who a request comes from, for per-client limits: its IPv4 address, or its IPv6 /64 network (one host
    commonly holds a whole /64). Behind trusted proxies the address is the one they forwarded."""
    host = request.client.host if request.client else "?"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:1.2.3.4 is 1.2.3.4
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class RateLimiter:
    """Runs started per client per minute, in a sliding window, and runs going at once per client (one
    process; each replica counts its own)."""

    def __init__(self, per_minute: int, concurrent: int = 0, retry_after_s: float = 10):
        self.per_minute = per_minute
        self.concurrent = concurrent
        self.retry_after = str(max(1, math.ceil(retry_after_s)))
        self.starts: dict[str, list[float]] = {}
        self.going: Counter[str] = Counter()
        self.lock = threading.Lock()

    def check(self, client: str, now: float) -> None:
        if not self.per_minute:
            return
        with self.lock:
            recent = [t for t in self.starts.get(client, ()) if t > now - 60]
            if len(recent) >= self.per_minute:
                wait = int(recent[0] + 60 - now) + 1
                raise HTTPException(
                    429,
                    f"more than {self.per_minute} runs a minute from this client (GRADWALK_RATE_LIMIT_RUNS_PER_MIN)",
                    headers={"Retry-After": str(wait)},
                )
            recent.append(now)
            self.starts[client] = recent
            if len(self.starts) > 100_000:  # forget idle clients rather than grow without end
                self.starts = {k: v for k, v in self.starts.items() if v and v[-1] > now - 60}

    @contextmanager
    def running(self, client: str):
        """Counts a run of `client`'s while it runs or waits; 429 when the client already has its share going."""
        with self.lock:
            if self.concurrent and self.going[client] >= self.concurrent:
                raise HTTPException(
                    429,
                    f"this client already has {self.going[client]} runs going; at most {self.concurrent} at once "
                    "(GRADWALK_MAX_CLIENT_CONCURRENT_RUNS)",
                    headers={"Retry-After": self.retry_after},
                )
            self.going[client] += 1
        try:
            yield
        finally:
            with self.lock:
                self.going[client] -= 1
                if not self.going[client]:
                    del self.going[client]


@router.post("/api/runs", status_code=201, responses={201: RUN_ANSWER, **ERRORS}, tags=["runs"])
async def create_run(
    request: Request,
    body: Annotated[
        RunRequest,
        Body(openapi_examples={"seed-2d": {"summary": "The tutorial's 2D example", "value": {"code": SEED}}}),
    ],
    settings: SettingsDep,
    store: StoreDep,
    sandbox: SandboxDep,
    view: FoldDep,
) -> Response:
    """Run a snippet in the sandbox and record its graphs (the same code and options return the stored run);
    `fold` answers with a folded view of it."""
    if len(body.code.encode()) > settings.max_source_bytes:
        raise HTTPException(413, f"the snippet is over {settings.max_source_bytes} bytes (GRADWALK_MAX_SOURCE_BYTES)")
    options = body.options.model_dump(exclude_none=True)
    run_id = make_run_id(body.code, options, sandbox.torch_version or "")
    headers = {"Location": f"/api/runs/{run_id}"}
    stored = store.recent(run_id) or await run_in_threadpool(store.load, run_id)
    if stored is not None and stored[0] not in TRANSIENT:
        data = await run_in_threadpool(folded_json, request.app.state, client_key(request), run_id, view, stored[1])
    else:
        limiter: RateLimiter = request.app.state.rate_limiter
        client = client_key(request)
        with limiter.running(client):
            limiter.check(client, time.time())
            data = await run_in_threadpool(_run_and_save, request.app.state, client, body.code, options, run_id, view)
    return Response(data, 201, headers=headers, media_type=JSON)


def _run_and_save(state, client: str, code: str, options: dict, run_id: str, view: FoldQuery) -> bytes:
    try:
        run, data = state.sandbox.run_json(code, options.get("max_elements"), run_id)
    except Overloaded as exc:
        raise HTTPException(503, f"busy: {exc}", headers={"Retry-After": "2"}) from None
    state.store.save_run(run_id, run.status, data)  # the lifespan's Pruner keeps the storage budgets
    # (the run is stored whatever happens next: a caller that waits here in vain finds it when it asks again)
    return folded_json(state, client, run_id, view, data, run)


@router.get(
    "/api/runs/{run_id}",
    responses={200: RUN_ANSWER, 404: ERRORS[404], 429: ERRORS[429], 503: ERRORS[503]},
    tags=["runs"],
)
async def read_run(request: Request, run_id: str, store: StoreDep, view: FoldDep) -> Response:
    """A stored run, as POST /api/runs returned it, or a folded view of it (`fold`)."""
    data = None
    if RUN_ID.fullmatch(run_id):
        if view.fold is None:
            stored = store.recent(run_id) or await run_in_threadpool(store.load, run_id)
            data = stored and stored[1]
        else:
            data = await run_in_threadpool(folded_json, request.app.state, client_key(request), run_id, view)
    if data is None:
        raise HTTPException(404, f"no run {run_id!r}")
    return Response(data, media_type=JSON)


def folded_json(
    state, client: str, run_id: str, view: FoldQuery, data: bytes | None = None, run: Run | None = None
) -> bytes | None:
    """The folded view of a stored run as JSON (the run itself when within the budget; None when there is no
    such run), made in one of the drawing slots `client` may hold: the run is read from the store there unless
    the caller has it (`data`, and `run`, `data` already parsed). Only the view the page opens with is kept with
    the run's pictures: a view of any other budget or expansion is made again when asked (they are many, and
    a run's views are not)."""
    if view.fold is None or (run is not None and _within(run, view.fold)):
        return data
    kept = view.fold == state.settings.page_fold_nodes and not view.expand
    name = f"run-{view.key()}.json"
    cached = state.store.load_render(run_id, name) if kept else None
    if cached is not None:
        return cached
    with state.drawing.hold(client, state.settings.render_timeout_s), gc_paused():
        if data is None:
            data = state.store.load_run(run_id)
            if data is None:
                return None
        run = run or parse_run(data)
        folded = fold_run(run, view.fold, frozenset(view.expand))
        if folded is run:
            return data
        made = encode(folded)
    if kept:
        state.store.save_render(run_id, name, made)
    return made


def _within(run: Run, budget: int) -> bool:
    return max(len(run.forward.nodes), len(run.backward.nodes)) <= budget


@router.get(
    "/api/runs/{run_id}/{view}.{fmt}",
    response_class=Response,
    responses={
        200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()}, "description": "The picture."},
        404: ERRORS[404],
        413: ERRORS[413],
        429: ERRORS[429],
        503: ERRORS[503],
    },
    tags=["runs"],
)
def read_run_graph(
    run_id: str,
    view: Literal["forward", "backward"],
    fmt: Literal["dot", "svg", "png"],
    settings: SettingsDep,
    store: StoreDep,
    request: Request,
    folding: FoldDep,
) -> Response:
    """One graph of a run as Graphviz DOT, or drawn as SVG or PNG (within a node and a time limit); `fold` draws
    a folded view."""
    if not RUN_ID.fullmatch(run_id):
        raise HTTPException(404, f"no run {run_id!r}")
    # Kept: the pictures of the whole run and of the view the page opens with; others are made when asked.
    kept = folding.fold is None or (folding.fold == settings.page_fold_nodes and not folding.expand)
    name = f"{view}-{MADE_BY if folding.fold is None else folding.key()}.{fmt}"
    cached = store.load_render(run_id, name) if kept else None
    if cached is not None:
        return Response(cached, media_type=MEDIA[fmt])
    with request.app.state.drawing.hold(client_key(request), settings.render_timeout_s), gc_paused():
        stored = store.load_run(run_id)
        if stored is None:
            raise HTTPException(404, f"no run {run_id!r}")
        run = parse_run(stored)
        if folding.fold is not None:
            run = fold_run(run, folding.fold, frozenset(folding.expand))
        size = len(getattr(run, view).nodes)
        if fmt != "dot" and size > settings.render_max_nodes:
            raise HTTPException(
                413,
                f"the {view} graph has {size} nodes; the server draws at most "
                f"{settings.render_max_nodes} (GRADWALK_RENDER_MAX_NODES): use the DOT or the JSON",
            )
        dot = to_dot(run, view)
        del run
        if fmt == "dot":
            body = dot.encode()
        else:
            try:
                body = render(dot, fmt, settings)
            except RenderError as exc:
                raise HTTPException(413, f"cannot draw this graph: {exc}") from None
    if kept:
        store.save_render(run_id, name, body)
    return Response(body, media_type=MEDIA[fmt])


@router.get("/api/examples", response_model=list[Example], tags=["examples"])
def list_examples() -> list[Example]:
    """Example snippets: the tutorial's six first, then a few more."""
    return [
        Example(id=e.id, title=e.title, title_en=e.title_en, about=e.about, about_en=e.about_en, code=e.code)
        for e in EXAMPLES
    ]


def examples_json() -> list[dict]:
    """The examples as `GET /api/examples` gives them, for the page to carry."""
    return [example.model_dump() for example in list_examples()]


@router.get("/healthz", response_model=Health, responses={503: ERRORS[503]}, tags=["health"])
def health(settings: SettingsDep, sandbox: SandboxDep) -> Health:
    """Whether the server can run snippets."""
    if not sandbox.healthy():
        raise HTTPException(503, "no worker is alive; they are being restarted", headers={"Retry-After": "5"})
    return Health(
        status="ok", sandbox=settings.sandbox, workers=settings.worker_count(), torch_version=sandbox.torch_version
    )
