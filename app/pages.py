"""The web pages: `/` and a run's permalink `/runs/{id}`, drawn in the browser from the same Run JSON the API
returns (each page links its JSON twin)."""

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from .api import RUN_ID, FoldQuery, SettingsDep, StoreDep, client_key, examples_json, folded_json

router = APIRouter(include_in_schema=False)


# The run's JSON goes into the page inside <script type="application/json">: its `<`, `>` and `&` are written as
# JSON escapes (`<` can only be inside a JSON string, where `\u003c` means the same), so no text in a run can end
# that element or open a comment or another script in it (`</script>`, `<!--<script>`). U+2028 and U+2029 go
# the same way, for readers that take the JSON for JavaScript.
INLINE_ESCAPES = [
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
]


def inline_json(data: bytes) -> str:
    """JSON bytes as text that is safe inside a <script> element and means the same JSON."""
    for char, escape in INLINE_ESCAPES:
        data = data.replace(char, escape)
    return data.decode("utf-8", "replace")


def _page(request: Request, run: bytes | None = None, missing: str | None = None, status: int = 200):
    inline = inline_json(run) if run is not None else None
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
        try:
            client = client_key(request)
            data = await run_in_threadpool(folded_json, request.app.state, client, run_id, view, stored and stored[1])
        except ValueError:  # stored bytes that are no Run: the page gets them as they are and says it cannot read them
            data = await run_in_threadpool(store.load_run, run_id)
    if data is None:
        return _page(request, missing=run_id, status=404)
    response = _page(request, run=data)
    response.headers["Link"] = f'</api/runs/{run_id}>; rel="alternate"; type="application/json"'
    return response
