"""Who a request comes from: the peer, or the client a configured reverse proxy forwarded (`ClientAddress`), and
the key per-client limits count it under (`client_key`)."""

import ipaddress
from collections.abc import Callable, Iterable

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send


class ClientAddress:
    """ASGI middleware: the client's address for limits and logs is the peer's, or, when the peer is one of the
    configured proxies (GRADWALK_TRUSTED_PROXIES), the last address in X-Forwarded-For that is not a trusted proxy
    itself. With no proxies configured the header is ignored, whoever sends it."""

    def __init__(self, app: ASGIApp, proxies: tuple[str, ...]):
        self.app = app
        self.proxies = proxies
        self._trusted = trusted(proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and self.proxies and client and self._trusted(client[0]):
            host = forwarded_client(scope.get("headers") or (), self._trusted)
            if host is not None:
                scope = {**scope, "client": (host, 0)}
        await self.app(scope, receive, send)


def forwarded_client(headers: Iterable[tuple[bytes, bytes]], is_proxy: Callable[[str], bool]) -> str | None:
    """The client a trusted proxy forwarded a request for: the last address in X-Forwarded-For that is not a proxy
    (`is_proxy`); None when there is none."""
    forwarded = b",".join(v for k, v in headers if k.lower() == b"x-forwarded-for")
    hops = [h.strip() for h in forwarded.decode("latin-1").split(",") if h.strip()]
    while hops and is_proxy(hops[-1]):
        hops.pop()
    return hops[-1] if hops else None


def trusted(proxies: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether an address is one of `proxies` (addresses and networks, GRADWALK_TRUSTED_PROXIES)."""
    networks = [ipaddress.ip_network(p, strict=False) for p in proxies]

    def is_proxy(host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in networks)

    return is_proxy


def client_key(request: HTTPConnection) -> str:
    """Who a request comes from, for per-client limits (`address_key`). Behind trusted proxies the address is the
    one they forwarded."""
    return address_key(request.client.host if request.client else "?")


def address_key(host: str) -> str:
    """An IPv4 address, or an IPv6 address's /64 network (one host commonly holds a whole /64). An address with a
    port (`1.2.3.4:5678`, `[2001:db8::1]:443`, as some proxies write X-Forwarded-For) is its address: each port its
    own client made every per-client limit void. An IPv4 address carried in IPv6 (`::ffff:1.2.3.4`, NAT64's
    `64:ff9b::1.2.3.4`) is that IPv4 address: the clients behind a NAT64 were all one. A link-local address keeps its
    whole self (a LAN's hosts share fe80::/64)."""
    host = host.strip()
    if host.startswith("[") and "]" in host:
        host = host[1 : host.index("]")]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:1.2.3.4 is 1.2.3.4
            return str(address.ipv4_mapped)
        if address in NAT64:
            return str(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.is_link_local:
            return str(address)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # (RFC 6052's prefix: the last 32 bits are an IPv4 address)
