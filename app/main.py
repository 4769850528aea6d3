"""`create_app(settings)`: the FastAPI application. Nothing is built at import time."""

import functools
import logging
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from . import __version__, pages
from .api import RateLimiter, router
from .graph import openapi_components
from .limits import AllBusy, ClientBusy, Slots
from .sandbox import Sandbox
from .sandbox.pool import UNSANDBOXED_WARNING
from .settings import Settings
from .store import Store, database_url

log = logging.getLogger("gradwalk")


class BodyLimit:
    """Refuses request bodies over `limit` bytes with 413, by Content-Length or while they stream in."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await self._refuse(send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await self._refuse(send)

    async def _refuse(self, send):
        response = JSONResponse(
            {"detail": f"the request body is over {self.limit} bytes (GRADWALK_MAX_REQUEST_BYTES)"}, status_code=413
        )
        await response({"type": "http"}, None, send)


class BodyTooLarge(Exception):
    pass


async def _http_error(request, exc: HTTPException):
    """Errors as `{"detail": ...}`; a body that is not even text (invalid UTF-8) is a 422 like any bad body."""
    if exc.status_code == 400:
        return JSONResponse({"detail": "the body is not valid JSON text (UTF-8)"}, status_code=422)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _busy(request, exc: ClientBusy | AllBusy):
    """429 when this client already uses its share of the drawing slots, 503 when all stayed busy."""
    status = 429 if isinstance(exc, ClientBusy) else 503
    return JSONResponse({"detail": str(exc)}, status_code=status, headers={"Retry-After": "2"})


async def _invalid_request(request, exc: RequestValidationError):
    """422 with each problem's place and message (the input is left out: it may not even be text)."""
    detail = [{"type": e.get("type"), "loc": list(e.get("loc", ())), "msg": str(e.get("msg"))} for e in exc.errors()]
    return JSONResponse({"detail": detail}, status_code=422)


def create_app(settings: Settings, *, sandbox: Sandbox | None = None) -> FastAPI:
    """The gradwalk server: API routes, storage and a sandbox started and stopped with the app.

    `sandbox` lets tests share one already started pool; by default the app starts its own."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        os.makedirs(settings.data_dir, exist_ok=True)
        app.state.store = Store(database_url(settings.database_url, settings.data_dir), settings.run_cache_mb)
        own = sandbox is None
        app.state.sandbox = Sandbox(settings) if own else sandbox
        if own:
            await run_in_threadpool(app.state.sandbox.start)
        log.info("gradwalk is ready: %d workers, sandbox %s", settings.worker_count(), settings.sandbox)
        try:
            yield
        finally:
            if own:
                app.state.sandbox.stop()
            app.state.store.close()

    app = FastAPI(
        docs_url=None,  # served below from our own copy of Swagger UI, not from a CDN
        redoc_url=None,
        title="gradwalk",
        version=__version__,
        summary="See PyTorch autograd at work: run a snippet, get its forward and backward graphs.",
        description=f"**Warning: {UNSANDBOXED_WARNING}**" if settings.sandbox == "off" else "",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.sandbox = None
    app.state.rate_limiter = RateLimiter(settings.rate_limit_runs_per_min)
    app.state.drawing = Slots(total=max(1, os.cpu_count() or 1), per_client=1)
    app.state.saves = 0
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(ClientBusy, _busy)
    app.add_exception_handler(AllBusy, _busy)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.include_router(router)
    app.include_router(pages.router)
    static = settings.static_path()
    app.state.templates = Jinja2Templates(directory=settings.templates_path())
    if static.is_dir():
        app.mount("/static", StaticFiles(directory=static), name="static")
    vendor = static / "vendor" / "swagger-ui"

    @app.get("/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        if not (vendor / "swagger-ui-bundle.js").is_file():
            return HTMLResponse(
                "<!doctype html><title>gradwalk API</title><p>The interactive documentation is not installed "
                "(<code>make install</code> copies it from npm). The API's description is at "
                '<a href="/openapi.json">/openapi.json</a>.</p>'
            )
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="gradwalk API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )

    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    app.openapi = functools.partial(_openapi_with_run, app, app.openapi)
    return app


def _openapi_with_run(app: FastAPI, make) -> dict:
    """FastAPI's OpenAPI document, with the Run's schemas (msgspec models, which FastAPI does not read)."""
    schema = make()
    schema.setdefault("components", {}).setdefault("schemas", {}).update(openapi_components())
    return schema
