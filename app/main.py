"""`create_app(settings)`: the FastAPI application, its routers, middleware and error answers, and a lifespan that
starts storage, the sandbox and the pruner. Nothing is built at import time."""

import functools
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from . import __version__, api, errors, pages
from .answers import AnswerShare, CountedFiles
from .apart import Apart
from .body import BodyLimit
from .client import ClientAddress
from .headers import HeadAsGet, KnownHost, SecurityHeaders
from .limits import HeldBytes, Slots
from .runs import Runner, RunsSnippets
from .sandbox import UNSANDBOXED_WARNING, Sandbox
from .settings import Settings
from .store import Pruner, Store, database_url
from .views import Views

log = logging.getLogger("gradwalk")


def create_app(settings: Settings, *, sandbox: RunsSnippets | None = None, apart: Apart | None = None) -> FastAPI:
    """The gradwalk server: API routes, pages, storage and a sandbox started and stopped with the app.

    `sandbox` lets tests share one already started pool (or run snippets in-process), `apart` one started Apart
    (made from these settings' GRADWALK_APART_*): the app then neither starts nor stops it. By default the app starts
    its own of each."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        os.makedirs(settings.data_dir, exist_ok=True)
        store = Store(
            database_url(settings.database_url, settings.data_dir),
            settings.run_cache_mb,
            settings.database_retry_s,
            held,
        )
        own_apart = None
        if apart is None:  # (big Runs: away from this process)
            processes_apart = own_apart = Apart(
                settings.apart_count(), settings.apart_min_bytes, settings.apart_timeout_s
            )
            await run_in_threadpool(own_apart.start)
        else:
            processes_apart = apart
        own = Sandbox(settings, apart=processes_apart) if sandbox is None else None
        if own is not None:
            await run_in_threadpool(own.start)
        # the storage budgets are kept from a thread of the app's own, never while a request waits
        pruner = Pruner(store, settings.keep_runs, settings.keep_days, settings.keep_mb << 20)
        pruner.start()
        app.state.store, app.state.pruner = store, pruner
        app.state.runner = Runner(settings, own or sandbox, store)  # type: ignore[arg-type]
        app.state.views = Views(
            settings, store, drawing, app.state.runner.stored, processes_apart
        )  # (one share for both)
        log.info("gradwalk is ready: %d workers, sandbox %s", settings.worker_count(), settings.sandbox)
        try:
            yield
        finally:
            if own is not None:
                own.stop()
            pruner.stop()
            store.close()
            if own_apart is not None:
                own_apart.stop()

    app = FastAPI(
        docs_url=None,  # pages.py serves our own copy of Swagger UI, not a CDN's
        redoc_url=None,
        title="gradwalk",
        version=__version__,
        summary="See PyTorch autograd at work: run a snippet, get its forward and backward graphs.",
        description=f"**Warning: {UNSANDBOXED_WARNING}**" if settings.sandbox == "off" else "",
        lifespan=lifespan,
        redirect_slashes=False,  # (its redirect wrote the request's Host into Location: app.errors redirects by path)
    )
    # The big runs read from storage and the big answers under way, over all clients (GRADWALK_MAX_ANSWERS_MB).
    held = HeldBytes(settings.max_answers_mb)
    # Folding, DOT and drawing share one slot per core, a fair share per client.
    drawing = Slots(
        per_client=settings.max_client_drawings,
        total=os.cpu_count() or 1,
        what="views or pictures under way",
        setting="GRADWALK_MAX_CLIENT_DRAWINGS",
        budget=(settings.rate_limit_draw_s_per_min, "GRADWALK_RATE_LIMIT_DRAW_S_PER_MIN"),
    )
    app.state.settings = settings
    app.state.runner = None  # until the lifespan has started the sandbox
    app.state.templates = Jinja2Templates(directory=settings.templates_path())
    errors.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    if settings.static_path().is_dir():
        # (what a client reads of the site's files counts against its read budget, as stored runs do)
        app.mount("/static", CountedFiles(StaticFiles(directory=settings.static_path())), name="static")
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes, timeout_s=settings.request_timeout_s)
    app.add_middleware(AnswerShare, per_client=settings.max_client_answers, held=held)  # (inside ClientAddress)
    app.add_middleware(ClientAddress, proxies=settings.trusted_proxy_networks())
    # (a page the server's user opens elsewhere cannot reach it by a name of its own: DNS rebinding)
    app.add_middleware(KnownHost, allowed=settings.allowed_host_names(), loopback_only=settings.sandbox == "off")
    app.add_middleware(SecurityHeaders)
    app.openapi = functools.partial(api.openapi, app.openapi)  # type: ignore[method-assign]
    return app
