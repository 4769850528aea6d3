"""The web pages: `/`, a run's permalink `/runs/{id}` (the page draws the run's JSON and the server's DOT of it,
and links its JSON twin) and the API documentation at `/docs`."""

from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from .deps import ClientDep, SettingsDep, TemplatesDep, ViewsDep
from .examples import EXAMPLES
from .graph import InvalidRun, make_run_id, valid_run_id
from .inline import INLINE_ESCAPES, inline_json
from .store import DatabaseAway, other_snippets
from .views import NoSuchRun

router = APIRouter(include_in_schema=False)
__all__ = ["inline_json", "router"]


def _page(request: Request, templates: TemplatesDep, settings: SettingsDep, **context: Any) -> Response:
    context["examples"] = [example.as_json() for example in EXAMPLES]
    context["limits"] = {
        "fold": settings.page_fold_nodes,
        "draw": settings.page_draw_max_nodes,
        "edges": settings.render_max_edges,
        "layout": settings.page_layout_timeout_s,
    }
    status = 404 if context.get("missing") else 200
    return templates.TemplateResponse(request, "page.html", context, status_code=status)


def _inlined(data: bytes, limit: int) -> str | None:
    """The run's JSON as the page carries it, or None when that is over `limit` bytes. Its escapes are counted before
    any is written: each `<`, `>` and `&` is six bytes there, and a 3.4 MB run of them made a 17.7 MB page, 170 ms
    of the server's time at each visit (with the GIL held: every other client waited)."""
    grown = sum(data.count(char) * (len(escape) - len(char)) for char, escape in INLINE_ESCAPES)
    if len(data) + grown > limit:
        return None
    text = inline_json(data)
    return text if len(text) <= limit else None  # (C1 characters, not counted above)


@router.get("/", response_class=HTMLResponse)
async def home_page(request: Request, templates: TemplatesDep, settings: SettingsDep, views: ViewsDep) -> Response:
    """The editor and both graphs, the tutorial's first example already run (its stored run; when there is none
    yet, the page runs it)."""
    runner = request.app.state.runner
    version = runner.sandbox.torch_version if runner is not None else None
    try:
        # (the server's own example, a few kB: not counted against the client's reads)
        stored = await views.stored(make_run_id(EXAMPLES[0].code, {}, version), None) if version else None
    except DatabaseAway:  # (the page still opens: it runs the example itself, and says why if that fails too)
        stored = None
    # (the run stored under the example's id may be another snippet's: ids are 71 bits of a hash, and a snippet with
    # the example's id can be searched for and stored first, which every visitor's page then showed as the example)
    if stored is not None and await run_in_threadpool(other_snippets, stored, EXAMPLES[0].code):
        stored = None
    if stored is None or stored.status != "ok":
        return _page(request, templates, settings)
    return _page(request, templates, settings, run_json=inline_json(stored.body))


@router.get("/runs/{run_id}", response_class=HTMLResponse)
async def run_page(
    request: Request, run_id: str, templates: TemplatesDep, settings: SettingsDep, views: ViewsDep, client: ClientDep
) -> Response:
    """A run's permalink: the page with the run's code and graphs, the view the page opens with (folded past
    GRADWALK_PAGE_FOLD_NODES); its JSON twin is /api/runs/{id}."""
    try:
        if not valid_run_id(run_id):
            raise NoSuchRun(run_id)
        # (the server's time on a client's pages is bounded: a big run's page takes its interpreter tens of ms)
        views.page_time.check(client)
        data = await run_in_threadpool(views.page_time.timed, client, views.page_json, client, run_id)
    except NoSuchRun:
        return _page(request, templates, settings, missing=run_id)
    except InvalidRun:  # stored bytes that are no Run: the page gets them as they are, and draws what it can
        stored = await views.stored(run_id, client)
        data = b"null" if stored is None else stored.body
    limit = settings.page_inline_max_bytes
    timed = views.page_time.timed
    inlined = (
        None if data is None or len(data) > limit else await run_in_threadpool(timed, client, _inlined, data, limit)
    )
    if inlined is None:  # (too big to carry, its escapes counted: the page reads it from the API)
        response = _page(request, templates, settings, run_ref=run_id)
    else:  # (made in a thread: 16 MiB of page took the event loop 170 ms, every other client waiting)
        page = partial(_page, request, templates, settings, run_json=inlined)
        response = await run_in_threadpool(timed, client, page)
    response.headers["Link"] = f'</api/runs/{run_id}>; rel="alternate"; type="application/json"'
    return response


@router.get("/docs")
async def api_docs(request: Request, templates: TemplatesDep, settings: SettingsDep) -> Response:
    """The API's documentation: Swagger UI from our own copy (no CDN), started by static/js/docs.js."""
    if not (Path(settings.static_path()) / "vendor" / "swagger-ui" / "swagger-ui-bundle.js").is_file():
        return HTMLResponse(
            "<!doctype html><title>gradwalk API</title><p>The interactive documentation is not installed "
            "(<code>make install</code> copies it from npm). The API's description is at "
            '<a href="/openapi.json">/openapi.json</a>.</p>'
        )
    return templates.TemplateResponse(request, "docs.html")
