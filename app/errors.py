"""How errors become answers: every exception the routes let out is mapped here, once, to its status and a
`{"detail": ...}` that names the problem (never a 500 for a bad request)."""

from typing import NamedTuple

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from .apart import ApartLost
from .embed import TooBigToEmbed, ViewerMissing
from .graph import InvalidRun
from .limits import AllBusy, ClientBusy, ServerFull
from .render import RenderError
from .sandbox import Overloaded
from .store import DatabaseAway, IdTaken, StorageFull
from .views import NoSuchRun, TooBigToDraw


class Answer(NamedTuple):
    status: int
    prefix: str = ""  # before the exception's own message
    retry_after_s: int | None = None  # Retry-After, unless the exception says (`retry_after_s`)


ANSWERS: dict[type[Exception], Answer] = {
    NoSuchRun: Answer(404, "no run "),  # (its message: the id, quoted)
    IdTaken: Answer(409),
    TooBigToDraw: Answer(413),
    TooBigToEmbed: Answer(413),
    RenderError: Answer(413, "cannot draw this graph: "),
    # A stored run that is no Run gradwalk can read (stored by another version, or not by gradwalk): its JSON is
    # served as it is, but no view can be made of it.
    InvalidRun: Answer(422, "the stored run cannot be read as a Run: "),
    ClientBusy: Answer(429),
    AllBusy: Answer(503),
    ServerFull: Answer(503),
    Overloaded: Answer(503, "busy: ", 2),
    ApartLost: Answer(503),
    # the one-file run needs the viewer's files (static/js, static/vendor: `make install`)
    ViewerMissing: Answer(503, "the one-file run cannot be made here: "),
    DatabaseAway: Answer(503),
    StorageFull: Answer(507),
}


async def _known(request: Request, exc: Exception) -> JSONResponse:
    answer = next(a for kind, a in ANSWERS.items() if isinstance(exc, kind))
    retry = getattr(exc, "retry_after_s", answer.retry_after_s)
    headers = {"Retry-After": str(retry)} if retry is not None else None
    return JSONResponse({"detail": answer.prefix + str(exc)}, answer.status, headers)


async def _http(request: Request, exc: Exception) -> Response:
    """HTTP errors as they were raised; FastAPI's 400 for a body its JSON parser gave up on (not even text, nested
    too deeply, a number of too many digits) is a bad body like any other (422), said in words."""
    assert isinstance(exc, HTTPException)
    cause = exc.__cause__
    if exc.status_code == 400 and cause is not None:
        if isinstance(cause, UnicodeDecodeError):
            detail = "the body is not valid JSON text (UTF-8)"
        elif isinstance(cause, RecursionError):
            detail = "the body's JSON is nested too deeply"
        else:
            detail = f"the body is not JSON gradwalk can read ({type(cause).__name__}: {str(cause)[:120]})"
        return JSONResponse({"detail": detail}, 422)
    path = request.url.path
    if exc.status_code == 404 and exc.detail == "Not Found" and path.endswith("/") and path.strip("/"):
        # (no route: one without the trailing slash may be; said by its path alone, never by the Host the request
        # named, which Starlette's own redirect wrote into Location: `http://evil.example/api/runs/ID`)
        query = request.url.query
        return RedirectResponse("/" + path.strip("/") + (f"?{query}" if query else ""), 307)  # (`//host/`: one /)
    return JSONResponse({"detail": exc.detail}, exc.status_code, exc.headers)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """422 with each problem's place and message (the input is left out: it may not even be text)."""
    assert isinstance(exc, RequestValidationError)
    detail = [{"type": e.get("type"), "loc": list(e.get("loc", ())), "msg": str(e.get("msg"))} for e in exc.errors()]
    return JSONResponse({"detail": detail}, 422)


def install(app: FastAPI) -> None:
    """Map every error the app knows to its answer."""
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    for kind in ANSWERS:
        app.add_exception_handler(kind, _known)
