"""Request bodies within GRADWALK_MAX_REQUEST_BYTES (413) that arrive within GRADWALK_REQUEST_TIMEOUT_S (408):
`BodyLimit`, ASGI middleware, counts them by their Content-Length and again as they stream in."""

import asyncio

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    """A body past the limit: an HTTP error (413), so that the routes' body parsing lets it through (any other
    exception while reading a body becomes FastAPI's 400)."""

    def __init__(self, limit: int):
        detail = f"the request body is over {limit} bytes (GRADWALK_MAX_REQUEST_BYTES)"
        super().__init__(413, detail, headers={"Connection": "close"})


class BodyTimeout(HTTPException):
    """A body that did not arrive in time (408): a client dripping its body holds a connection."""

    def __init__(self, timeout_s: float):
        detail = f"the request body did not arrive within {timeout_s:g} s (GRADWALK_REQUEST_TIMEOUT_S)"
        super().__init__(408, detail, headers={"Connection": "close"})


class BodyLimit:
    """Refuses request bodies over `limit` bytes, by Content-Length or while they stream in, and bodies that take
    longer than `timeout_s` to arrive."""

    def __init__(self, app: ASGIApp, limit: int, timeout_s: float):
        self.app = app
        self.limit = limit
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            refusal = BodyTooLarge(self.limit)
            await JSONResponse({"detail": refusal.detail}, 413, refusal.headers)(scope, receive, send)
            return
        seen = 0
        complete = False
        deadline = asyncio.get_running_loop().time() + self.timeout_s

        async def counted() -> Message:
            nonlocal seen, complete
            if complete:  # the body is in: what is left to wait for is the client going away, however late
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(self.timeout_s) from None
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge(self.limit)
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await self.app(scope, counted, send)
