"""The web pages: `/` and a run's permalink `/runs/{id}`, drawn in the browser from the same Run JSON the API
returns (each page links its JSON twin)."""

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from .api import RUN_ID, FoldQuery, SettingsDep, StoreDep, client_of, examples_json, folded_json

router = APIRouter(include_in_schema=False)


def _page(request: Request, run: bytes | None = None, missing: str | None = None, status: int = 200):
    # The run's JSON goes into the page as is; "</" is escaped so it cannot end the <script> that holds it.
    inline = run.decode().replace("</", "<\\/") if run is not None else None
    settings = request.app.state.settings
    limits = {"fold": settings.page_fold_nodes, "draw": settings.page_draw_max_nodes}
    return request.app.state.templates.TemplateResponse(
        request,
        "page.html",
        {"examples": examples_json(), "run_json": inline, "missing": missing, "limits": limits},
        status_code=status,
    )


@router.get("/", response_class=HTMLResponse)
async def home_page(request: Request):
    """The editor and both graphs."""
    return _page(request)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
async def run_page(request: Request, run_id: str, store: StoreDep, settings: SettingsDep):
    """A run's permalink: the page with the run's code and graphs; its JSON twin is /api/runs/{id}.

    A run too big to draw whole comes folded (the page opens its groups on request)."""
    data = None
    if RUN_ID.fullmatch(run_id):
        view = FoldQuery(fold=settings.page_fold_nodes)
        stored = store.recent(run_id)  # (a run in memory is small: no need to read it in a drawing slot)
        data = await run_in_threadpool(
            folded_json, request.app.state, client_of(request), run_id, view, stored and stored[1]
        )
    if data is None:
        return _page(request, missing=run_id, status=404)
    response = _page(request, run=data)
    response.headers["Link"] = f'</api/runs/{run_id}>; rel="alternate"; type="application/json"'
    return response
