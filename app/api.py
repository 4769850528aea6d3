"""The REST API's routes: thin, over the runner (new runs) and the views (stored runs, folded, drawn)."""

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator, model_validator

from .deps import ClientDep, FoldDep, RunnerDep, SettingsDep, ViewsDep
from .examples import EXAMPLES
from .graph import make_run_id, openapi_components, valid_run_id
from .store import IdTaken, other_snippets
from .views import Format, Language, View

router = APIRouter()
JSON = "application/json"
MEDIA = {"dot": "text/vnd.graphviz; charset=utf-8", "svg": "image/svg+xml", "png": "image/png"}
# runs that say more about the moment than about the code (stored status: app.runs.kept_status): asked again, they
# run again
TRANSIENT = ("timeout", "lost", "short")


def _known_fields(model: type[BaseModel], data: Any) -> Any:
    """One error for every unknown field of a body's object, not one each: pydantic's `extra="forbid"` made one for each
    key, and a 256 KiB body of 30,000 keys took 200 ms of the event loop to refuse and a 2 MB answer."""
    if isinstance(data, dict):
        fields = model.model_fields  # (a property: read once)
        unknown = [key for key in data if key not in fields]
        if unknown:
            more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
            raise ValueError(f"unknown fields {', '.join(map(repr, unknown[:3]))}{more}")
    return data


class RunOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _known(cls, data: Any) -> Any:
        return _known_fields(cls, data)

    max_elements: int | None = Field(
        None, ge=1, le=10_000, description="Values per tensor summary (default: the server's GRADWALK_MAX_ELEMENTS)."
    )


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: StrictStr = Field(description="The snippet, as pasted: torch, nn and F come pre-imported.")
    options: RunOptions = RunOptions()

    @model_validator(mode="before")
    @classmethod
    def _known(cls, data: Any) -> Any:
        return _known_fields(cls, data)

    @field_validator("code")
    @classmethod
    def _text(cls, code: str) -> str:
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


RUN_ANSWER: dict[str, Any] = {
    "content": {JSON: {"schema": {"$ref": "#/components/schemas/Run"}}},
    "description": "The Run.",
}
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No run with that id."},
    409: {"model": Problem, "description": "Another snippet's run is stored under this snippet's id."},
    413: {"model": Problem, "description": "The body or the snippet is too large, or the graph too big to draw."},
    422: {"description": "The request is not valid; `detail` says where."},
    429: {
        "model": Problem,
        "description": "This client has too many runs, views or pictures under way; see Retry-After.",
    },
    503: {"model": Problem, "description": "Every worker, or every drawing slot, is busy; see Retry-After."},
}
PICTURE = {"content": {m.split(";")[0]: {} for m in MEDIA.values()}, "description": "The graph."}


def _known_id(run_id: str) -> str:
    if not valid_run_id(run_id):
        raise HTTPException(404, f"no run {run_id!r}")
    return run_id


@router.post("/api/runs", status_code=201, responses={201: RUN_ANSWER, **ERRORS}, tags=["runs"])
async def create_run(
    body: RunRequest,
    settings: SettingsDep,
    runner: RunnerDep,
    views: ViewsDep,
    client: ClientDep,
    folding: FoldDep,
) -> Response:
    """Run a snippet in the sandbox and record its graphs (the same code and options return the stored run);
    `fold` answers with a folded view of it."""
    if len(body.code.encode()) > settings.max_source_bytes:
        raise HTTPException(413, f"the snippet is over {settings.max_source_bytes} bytes (GRADWALK_MAX_SOURCE_BYTES)")
    options = body.options.model_dump(exclude_none=True)
    run_id = make_run_id(body.code, options, runner.sandbox.torch_version or "")
    stored = await views.stored(run_id, client)
    # ids are 71 bits of a hash: a pair of snippets with one id can be searched for (about 2^36 hashes); another
    # snippet's run is never answered, nor replaced (a run stored as `timeout` or `lost` too, or as this one ends)
    if stored is not None and await run_in_threadpool(other_snippets, stored, body.code):
        raise IdTaken()
    if stored is not None and stored.status not in TRANSIENT:
        data = await run_in_threadpool(views.run_json, client, run_id, folding, stored.body)
    else:
        fold = folding.fold if not folding.expand else None  # (a big Run's view is folded as it is checked)
        run, data = await run_in_threadpool(runner.run, client, body.code, body.options.max_elements, run_id, fold)
        if stored is not None:  # (run again: the views made of the run it replaces are forgotten)
            views.forget(run_id)
        data = await run_in_threadpool(views.run_json, client, run_id, folding, data, run)
    return Response(data, 201, headers={"Location": f"/api/runs/{run_id}"}, media_type=JSON)


@router.get(
    "/api/runs/{run_id}.html",
    response_class=Response,
    responses={200: {"content": {"text/html": {}}, "description": "The one-file run."}, **ERRORS},
    tags=["runs"],
)
def read_run_file(run_id: str, views: ViewsDep, client: ClientDep) -> Response:
    """A stored run as one self-contained HTML file (both graphs interactive, no server, no network), to save."""
    body = views.page_file(client, _known_id(run_id))
    disposition = f'attachment; filename="{run_id}.html"'  # (a file to keep, never a page of this site)
    return Response(body, media_type="text/html; charset=utf-8", headers={"Content-Disposition": disposition})


@router.get("/api/runs/{run_id}", responses={200: RUN_ANSWER, **ERRORS}, tags=["runs"])
async def read_run(run_id: str, views: ViewsDep, client: ClientDep, folding: FoldDep) -> Response:
    """A stored run, as POST /api/runs returned it, or a folded view of it (`fold`)."""
    run_id = _known_id(run_id)
    stored = await views.stored(run_id, client) if folding.fold is None else None
    if stored is not None:  # (the common case, answered without a thread)
        return Response(stored.body, media_type=JSON)
    return Response(await run_in_threadpool(views.run_json, client, run_id, folding), media_type=JSON)


@router.get(
    "/api/runs/{run_id}/{view}.{fmt}", response_class=Response, responses={200: PICTURE, **ERRORS}, tags=["runs"]
)
def read_run_graph(
    run_id: str,
    view: View,
    fmt: Format,
    views: ViewsDep,
    client: ClientDep,
    folding: FoldDep,
    formulas: Annotated[
        Language | None,
        Query(description="Write each explained backward node's local derivative on its label, in this language."),
    ] = None,
) -> Response:
    """One graph of a run as Graphviz DOT, or drawn as SVG or PNG (within a node and a time limit); `fold` draws
    a folded view."""
    body = views.graph(client, _known_id(run_id), view, fmt, folding, formulas)
    return Response(body, media_type=MEDIA[fmt])


@router.get("/api/examples", response_model=list[Example], tags=["examples"])
def list_examples() -> list[Example]:
    """Example snippets: the tutorial's six first, then a few more."""
    return [Example(**example.as_json()) for example in EXAMPLES]


@router.get("/healthz", response_model=Health, responses={503: ERRORS[503]}, tags=["health"])
async def health(settings: SettingsDep, runner: RunnerDep) -> Health:
    """Whether the server can run snippets. (On the event loop, not in a pool thread: runs waiting for a worker and
    drawings waiting for a slot hold pool threads, and 40 of them left it waiting 10 s.)"""
    if not runner.sandbox.healthy():
        raise HTTPException(503, "no worker is alive; they are being restarted", headers={"Retry-After": "5"})
    workers = settings.worker_count()
    return Health(status="ok", sandbox=settings.sandbox, workers=workers, torch_version=runner.sandbox.torch_version)


def openapi(make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """FastAPI's OpenAPI document (`make`), completed: the Run's schemas (msgspec models, which FastAPI does not
    read) and the tutorial's 2D example as the body of POST /api/runs (read when the document is made). FastAPI keeps
    the document it made; it is completed once (making the Run's schemas took 9 ms of the event loop's time, each
    request for /openapi.json again)."""
    schema = make()
    body = schema["paths"]["/api/runs"]["post"]["requestBody"]["content"][JSON]
    if "examples" in body:  # (completed already)
        return schema
    schema.setdefault("components", {}).setdefault("schemas", {}).update(openapi_components())
    body["examples"] = {"seed-2d": {"summary": "The tutorial's 2D example", "value": {"code": EXAMPLES[5].code}}}
    return schema
