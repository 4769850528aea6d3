"""Answers that carry a run (its JSON, a view of it, a picture, the one-file run, its page), made and sent a few at a
time per client: `AnswerShare`, ASGI middleware.

A stored run can be tens of MB, read from the database and held in memory until the connection has taken it. One
client that asked for a 40 MB run on 30 connections and read none of the answers held 1.7 GB of the server's
memory, and another client's run waited 15 s. So each such request holds one of its client's
GRADWALK_MAX_CLIENT_ANSWERS slots from before the run is read until its answer has been handed to the connection
(an answer found small lets its slot go as it starts); past the share, 429 at once, before anything is read.
"""

from contextlib import ExitStack

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .client import client_key
from .limits import ClientBusy, Slots

RUN_PATHS = ("/api/runs", "/runs/")
SMALL_BYTES = 1 << 20  # an answer under this is let go of as it starts: a connection's buffers take it at once


class AnswerShare:
    """At most `per_client` answers about runs under way per client: made, or sent and not yet taken."""

    def __init__(self, app: ASGIApp, per_client: int):
        self.app = app
        self.slots = Slots(
            per_client=per_client, total=None, what="answers with runs under way", setting="GRADWALK_MAX_CLIENT_ANSWERS"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(RUN_PATHS):
            await self.app(scope, receive, send)
            return
        held = ExitStack()
        try:
            held.enter_context(self.slots.hold(client_key(HTTPConnection(scope))))
        except ClientBusy as busy:
            refusal = JSONResponse({"detail": str(busy)}, 429, {"Retry-After": str(busy.retry_after_s)})
            await refusal(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                length = dict(message.get("headers") or ()).get(b"content-length", b"")
                if length.isdigit() and int(length) < SMALL_BYTES:
                    held.close()
            await send(message)

        with held:
            await self.app(scope, receive, sending)
