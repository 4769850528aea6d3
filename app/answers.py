"""Answers that carry a run (its JSON, a view of it, a picture, the one-file run, its page), made and sent a few at a
time per client: `AnswerShare`, ASGI middleware.

A stored run can be tens of MB, read from the database and held in memory until the connection has taken it. One
client that asked for a 40 MB run on 30 connections and read none of the answers held 1.7 GB of the server's
memory, and another client's run waited 15 s. So each such request holds one of its client's
GRADWALK_MAX_CLIENT_ANSWERS slots from before the run is read until its answer has been handed to the connection
(an answer found small lets its slot go as it starts); past the share, 429 at once, before anything is read.
The share is per client, and clients are many: ten addresses, four slow readers each of a 32 MB run, held 1.8 GB.
So the big answers under way over all clients hold at most GRADWALK_MAX_ANSWERS_MB (`HeldBytes`, with the big runs
read from storage, counted from before they are read); an answer past it is dropped as it starts, 503 with
Retry-After in its place. A body many answers send at once (a run's view, made once) counts once.

The site's own files are counted too (`CountedFiles`): what a client reads of them goes against the budget of what it
reads of stored runs (GRADWALK_RATE_LIMIT_READ_MB_PER_MIN).
"""

import time
from contextlib import ExitStack

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .client import client_key
from .limits import ClientBusy, HeldBytes, ServerFull, Slots

RUN_PATHS = ("/api/runs", "/runs/")
SMALL_BYTES = 1 << 20  # an answer under this is let go of as it starts: a connection's buffers take it at once


class AnswerShare:
    """At most `per_client` answers about runs under way per client: made, or sent and not yet taken."""

    def __init__(self, app: ASGIApp, per_client: int, held: HeldBytes):
        self.app = app
        self.slots = Slots(
            per_client=per_client, total=None, what="answers with runs under way", setting="GRADWALK_MAX_CLIENT_ANSWERS"
        )
        self.memory = held

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

        dropped = False
        start: Message | None = None  # (sent with the body's first piece: what is counted is the body itself)

        async def sending(message: Message) -> None:
            nonlocal dropped, start
            if dropped:  # (the rest of an answer dropped as it started)
                return
            if message["type"] == "http.response.start":
                start = message
                return
            if start is not None:
                first, start = start, None
                length = dict(first.get("headers") or ()).get(b"content-length", b"")
                body = message.get("body", b"")
                if length.isdigit() and int(length) < SMALL_BYTES:
                    held.close()
                elif length.isdigit():
                    if not self.memory.send(body, int(length)):
                        dropped = True
                        held.close()
                        refusal = JSONResponse(
                            {"detail": str(ServerFull(self.memory.most))},
                            503,
                            {"Retry-After": str(ServerFull.retry_after_s)},
                        )
                        await refusal(scope, receive, send)
                        return
                    held.callback(self.memory.sent, body)
                await send(first)
            if message["type"] == "http.response.body" and len(message.get("body", b"")) > SMALL_BYTES:
                # (a piece at a time: the server waits for the connection to take each before the next, so the
                # answer is held until it is taken; handed over whole, it was let go of at once, however slowly
                # the client read it). Each piece is a view of the body, not a copy: ten addresses reading a 29 MB run
                # as fast as their budgets let them kept the event loop busy, half of it copying pieces, and another
                # client's small answers waited 2 to 15 s
                whole, more = memoryview(message["body"]), message.get("more_body", False)
                for at in range(0, len(whole), SMALL_BYTES):
                    last = at + SMALL_BYTES >= len(whole)
                    piece = {"type": "http.response.body", "body": whole[at : at + SMALL_BYTES]}
                    await send({**piece, "more_body": more or not last})
                return
            await send(message)

        with held:
            await self.app(scope, receive, sending)


class CountedFiles:
    """The site's own files (`/static`: scripts, styles, Graphviz's WebAssembly, Swagger UI), each answer's bytes
    counted against its client's budget of what it reads a minute (`Views.reads`, GRADWALK_RATE_LIMIT_READ_MB_PER_MIN),
    as a stored run's are: past it 429 with Retry-After, before anything is read. Each answer is the server's work in
    Python, a chunk at a time, and only the requests were paced, not their size: one client asking for Swagger UI's
    1.7 MB script over and over on eight connections, within its pace, took 318 MB/s and 0.88 of a core of the server,
    and another client's runs took 0.8 s at the 95th percentile instead of 0.18. (A page's files are about 2 MB, and
    a browser that has them asks with If-None-Match: 304, no bytes.)"""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        views = getattr(scope["app"].state, "views", None) if scope["type"] == "http" and "app" in scope else None
        if views is None:  # (before the lifespan has made the views: nothing to count against)
            await self.app(scope, receive, send)
            return
        client = client_key(HTTPConnection(scope))
        try:
            views.reads.check(client, time.time())
        except ClientBusy as busy:
            refusal = JSONResponse({"detail": str(busy)}, 429, {"Retry-After": str(busy.retry_after_s)})
            await refusal(scope, receive, send)
            return
        sent = 0

        async def counting(message: Message) -> None:
            nonlocal sent
            if message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting)
        finally:
            views.reads.add(client, time.time(), sent)
