"""The headers every answer carries: a Content-Security-Policy fitting what it is, nosniff, no framing, no
referrer beyond this site (`SecurityHeaders`, ASGI middleware); and a HEAD request's answer, GET's headers alone
(`HeadAsGet`); and requests for this server's own names only (`KnownHost`)."""

import ipaddress

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages load scripts, styles and images from this server only and run no inline script: text from a run that
# reached the page as markup could not run. They also take no HTML or script URL from a string at all (Trusted
# Types: `innerHTML = text` throws); their two policies let them start their own layout worker (static/js/pane.js)
# and parse Graphviz's SVG as inert markup (static/js/svg.js). Viz.js compiles Graphviz's WebAssembly in that
# worker, whose policy is the one its script is served with (SCRIPT_POLICY): hence 'wasm-unsafe-eval'
# (WebAssembly only, never JavaScript's eval). Swagger UI at /docs styles itself inline and writes HTML. Pictures
# (SVG) may run nothing at all, even opened on their own; everything else (JSON, DOT, PNG, CSS) loads nothing.
SCRIPT_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PAGE_POLICY = SCRIPT_POLICY + "; require-trusted-types-for 'script'; trusted-types gradwalk-worker gradwalk-svg"
DOCS_POLICY = SCRIPT_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
PICTURE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"


def policy(path: str, media_type: bytes) -> str:
    """The Content-Security-Policy of an answer at `path` of this media type."""
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

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                media_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                # (a 304 carries no content type, and a browser puts its headers over those it keeps: with
                # DATA_POLICY it took the layout worker's script policy away, and the worker's importScripts failed)
                if message["status"] != 304:
                    headers.append((b"content-security-policy", policy(scope["path"], media_type).encode()))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """HEAD gets the answer GET would, headers only (`curl -I`, link checkers, uptime monitors): FastAPI's routes
    answer only the methods they declare, and said 405 to HEAD."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def host_name(host: str) -> str:
    """The name in a Host header (`Example.org.:8000` -> `example.org`, `[::1]:8000` -> `::1`); what is no name and
    port is taken whole, which names no host."""
    host = host.strip().lower()
    if host.startswith("["):  # (an IPv6 address, then perhaps a port: `[::1].x` is no name of [::1])
        address, _, rest = host[1:].partition("]")
        return address if rest == "" or (rest[:1] == ":" and rest[1:].isdigit()) else host
    name, colon, port = host.rpartition(":")
    if not colon:
        return host.rstrip(".")
    return name.rstrip(".") if port.isdigit() and ":" not in name else host


def loopback_name(name: str) -> bool:
    """Whether a host name can only be this machine: `localhost`, a name under it (RFC 6761), a loopback address."""
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class KnownHost:
    """Answers only requests whose Host header names this server (400 for the rest): one of `allowed`, or, when that is
    empty and `loopback_only` (GRADWALK_SANDBOX=off), a loopback name. A server on 127.0.0.1 is not out of reach of the
    web: a page its user opens at `http://attacker.example:8000` can have that name answer 127.0.0.1 a moment later
    (DNS rebinding), and its script is then of the same origin as the server, so it posts snippets and reads what they
    print, Host still `attacker.example:8000`. Without the jail a snippet reads the user's files (`~/.ssh`). A request
    without a Host header (HTTP/1.0, from no browser) is answered."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str], loopback_only: bool):
        self.app = app
        self.allowed = allowed
        self.loopback_only = loopback_only

    def known(self, scope: Scope) -> bool:
        hosts = [value.decode("latin-1") for name, value in scope.get("headers", ()) if name == b"host"]
        for host in hosts:
            name = host_name(host)
            if self.allowed and name not in self.allowed:
                return False
            if not self.allowed and self.loopback_only and not loopback_name(name):
                return False
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (not self.allowed and not self.loopback_only):
            await self.app(scope, receive, send)
            return
        if self.known(scope):
            await self.app(scope, receive, send)
            return
        setting = "GRADWALK_ALLOWED_HOSTS" if self.allowed else "GRADWALK_ALLOWED_HOSTS (empty: loopback names only)"
        detail = f"this server does not answer for that Host; the names it answers for are in {setting}"
        await JSONResponse({"detail": detail}, 400, {"Connection": "close"})(scope, receive, send)
