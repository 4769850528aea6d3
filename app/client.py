"""Who a request comes from: the peer, or the client a configured reverse proxy forwarded (`ClientAddress`), and
the key per-client limits count it under (`client_key`)."""

import ipaddress

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send


class ClientAddress:
    """ASGI middleware: the client's address for limits and logs is the peer's, or, when the peer is one of the
    configured proxies (GRADWALK_TRUSTED_PROXIES), the last address in X-Forwarded-For that is not a trusted proxy
    itself. With no proxies configured the header is ignored, whoever sends it."""

    def __init__(self, app: ASGIApp, proxies: tuple[str, ...]):
        self.app = app
        self.proxies = [ipaddress.ip_network(p, strict=False) for p in proxies]

    def _trusted(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and self.proxies and client and self._trusted(client[0]):
            forwarded = b",".join(v for k, v in scope.get("headers") or () if k.lower() == b"x-forwarded-for")
            hops = [h.strip() for h in forwarded.decode("latin-1").split(",") if h.strip()]
            while hops and self._trusted(hops[-1]):
                hops.pop()
            if hops:
                scope = {**scope, "client": (hops[-1], 0)}
        await self.app(scope, receive, send)


def client_key(request: HTTPConnection) -> str:
    """Who a request comes from, for per-client limits: its IPv4 address, or its IPv6 /64 network (one host
    commonly holds a whole /64). Behind trusted proxies the address is the one they forwarded."""
    host = request.client.host if request.client else "?"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:1.2.3.4 is 1.2.3.4
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
