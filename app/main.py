"""`create_app(settings)`: the FastAPI application. Nothing is built at import time."""

import asyncio
import functools
import ipaddress
import logging
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from . import __version__, pages
from .api import RateLimiter, router
from .graph import InvalidRun, openapi_components
from .limits import AllBusy, ClientBusy, Slots
from .sandbox import Sandbox
from .sandbox.pool import UNSANDBOXED_WARNING
from .settings import Settings
from .store import Pruner, Store, database_url

log = logging.getLogger("gradwalk")


class BodyLimit:
    """Refuses request bodies over `limit` bytes with 413, by Content-Length or while they stream in, and bodies
    that take longer than `timeout_s` to arrive with 408 (a client dripping its body holds a connection)."""

    def __init__(self, app, limit: int, timeout_s: float):
        self.app = app
        self.limit = limit
        self.timeout_s = timeout_s

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await self._refuse(send)
        seen = 0
        complete = False
        deadline = asyncio.get_running_loop().time() + self.timeout_s

        async def counted():
            nonlocal seen, complete
            if complete:  # the body is in: what is left to wait for is the client going away, however late
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise HTTPException(
                    408,
                    f"the request body did not arrive within {self.timeout_s:g} s (GRADWALK_REQUEST_TIMEOUT_S)",
                    headers={"Connection": "close"},
                ) from None
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge(self.limit)
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, send):
        error = BodyTooLarge(self.limit)
        await JSONResponse({"detail": error.detail}, status_code=413)({"type": "http"}, None, send)


class BodyTooLarge(HTTPException):
    """A body that streamed in past the limit: an HTTP error (413), so the routes' body parsing lets it through
    (any other exception while reading a body becomes FastAPI's 400)."""

    def __init__(self, limit: int):
        super().__init__(
            413, f"the request body is over {limit} bytes (GRADWALK_MAX_REQUEST_BYTES)", headers={"Connection": "close"}
        )


# Content-Security-Policy, by what is answered. Pages load scripts, styles and images from this server only and
# run no inline script: text from a run that reached the page as markup could not run. They also take no HTML
# or script URL from a string at all (Trusted Types: `innerHTML = text` throws); their two policies let them
# start their own layout worker (static/js/pane.js) and parse Graphviz's SVG as inert XML (static/js/svg.js).
# Viz.js compiles Graphviz's WebAssembly in that worker, whose policy is the one its script is served with
# (SCRIPT_POLICY): hence 'wasm-unsafe-eval' (WebAssembly only, never JavaScript's eval). Swagger UI at /docs
# styles itself inline and writes HTML. Pictures (SVG) may run nothing at all, even opened on their own;
# everything else (JSON, DOT, PNG, CSS) loads nothing.
SCRIPT_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PAGE_POLICY = SCRIPT_POLICY + "; require-trusted-types-for 'script'; trusted-types gradwalk-worker gradwalk-svg"
DOCS_POLICY = SCRIPT_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
PICTURE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"


def _policy(path: str, media_type: bytes) -> str:
    if media_type.startswith(b"image/svg"):
        return PICTURE_POLICY
    if media_type.startswith(b"text/html"):
        return DOCS_POLICY if path == "/docs" else PAGE_POLICY
    if media_type.startswith((b"text/javascript", b"application/javascript")):
        return SCRIPT_POLICY
    return DATA_POLICY


class SecurityHeaders:
    """Adds a Content-Security-Policy fitting each answer, `X-Content-Type-Options: nosniff` (a browser never
    takes a JSON, DOT or SVG answer for a page), and refuses framing and referrers."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                media_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                headers += [
                    (b"content-security-policy", _policy(scope["path"], media_type).encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ClientAddress:
    """The client's address for rate limits and logs: the peer's, or, when the peer is one of the configured
    proxies (GRADWALK_TRUSTED_PROXIES), the last address in X-Forwarded-For that is not a trusted proxy itself.
    With no proxies configured the header is ignored, whoever sends it."""

    def __init__(self, app, proxies: tuple[str, ...]):
        self.app = app
        self.proxies = [ipaddress.ip_network(p, strict=False) for p in proxies]

    def _trusted(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.proxies)

    async def __call__(self, scope, receive, send):
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and self.proxies and client and self._trusted(client[0]):
            forwarded = b",".join(v for k, v in scope.get("headers") or () if k.lower() == b"x-forwarded-for")
            hops = [h.strip() for h in forwarded.decode("latin-1").split(",") if h.strip()]
            while hops and self._trusted(hops[-1]):
                hops.pop()
            if hops:
                scope = {**scope, "client": (hops[-1], 0)}
        await self.app(scope, receive, send)


async def _http_error(request, exc: HTTPException):
    """Errors as `{"detail": ...}`; a body that is not even text (invalid UTF-8) is a 422 like any bad body."""
    if exc.status_code == 400:
        return JSONResponse({"detail": "the body is not valid JSON text (UTF-8)"}, status_code=422)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _unreadable(request, exc: InvalidRun):
    """A stored run that is no Run gradwalk can read (stored by another version, or not by gradwalk): its JSON is
    served as it is, but no view or picture can be made of it."""
    return JSONResponse({"detail": f"the stored run cannot be read as a Run: {exc}"}, status_code=422)


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
        # the storage budgets are kept from a thread of the app's own, never while a request waits
        app.state.pruner = Pruner(app.state.store, settings.keep_runs, settings.keep_days, settings.keep_mb << 20)
        app.state.pruner.start()
        log.info("gradwalk is ready: %d workers, sandbox %s", settings.worker_count(), settings.sandbox)
        try:
            yield
        finally:
            if own:
                app.state.sandbox.stop()
            app.state.pruner.stop()
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
    app.state.rate_limiter = RateLimiter(
        settings.rate_limit_runs_per_min, settings.max_client_concurrent_runs, settings.run_timeout_s
    )
    app.state.drawing = Slots(total=max(1, os.cpu_count() or 1), per_client=1)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(ClientBusy, _busy)
    app.add_exception_handler(AllBusy, _busy)
    app.add_exception_handler(InvalidRun, _unreadable)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.include_router(router)
    app.include_router(pages.router)
    static = settings.static_path()
    app.state.templates = Jinja2Templates(directory=settings.templates_path())
    if static.is_dir():
        app.mount("/static", StaticFiles(directory=static), name="static")
    vendor = static / "vendor" / "swagger-ui"

    @app.get("/docs", include_in_schema=False)
    async def api_docs(request: Request) -> HTMLResponse:
        if not (vendor / "swagger-ui-bundle.js").is_file():
            return HTMLResponse(
                "<!doctype html><title>gradwalk API</title><p>The interactive documentation is not installed "
                "(<code>make install</code> copies it from npm). The API's description is at "
                '<a href="/openapi.json">/openapi.json</a>.</p>'
            )
        # Swagger UI started from static/js/docs.js, not from an inline script as FastAPI's own page does
        return app.state.templates.TemplateResponse(request, "docs.html")

    app.add_middleware(BodyLimit, limit=settings.max_request_bytes, timeout_s=settings.request_timeout_s)
    app.add_middleware(ClientAddress, proxies=settings.trusted_proxy_networks())
    app.add_middleware(SecurityHeaders)
    app.openapi = functools.partial(_openapi_with_run, app, app.openapi)
    return app


def _openapi_with_run(app: FastAPI, make) -> dict:
    """FastAPI's OpenAPI document, with the Run's schemas (msgspec models, which FastAPI does not read)."""
    schema = make()
    schema.setdefault("components", {}).setdefault("schemas", {}).update(openapi_components())
    return schema
