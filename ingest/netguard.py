"""What the harvester may fetch: the site's own host, the council's own domain and the hosts the user names;
never a private, loopback, link-local or otherwise non-public address unless `allow_private`.

A site is not trusted to choose where we connect: a page linking `http://127.0.0.1:8080/secret`, or a
302 to it, must not make the harvester fetch (and then publish) an internal service's answer. So
every URL is checked before it is asked for and after every redirect (`FetchPolicy.refusal`, used by
`ingest.moderngov.Fetcher`, which follows redirects itself), and the addresses a host name resolves to
are checked again when the connection is made (`guarded_transport`): the connection goes to an address
that was checked, so a name resolving to a public address at the first lookup and to an internal one at
the second (DNS rebinding) is refused too. The resolver is a parameter, so tests resolve names with a
stub and never send a lookup or a request past loopback.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from ingest.datafiles import json_data

Resolver = Callable[[str, int], list[str]]
DEFAULT_PORTS = MappingProxyType({"http": 80, "https": 443})


class Blocked(Exception):  # noqa: N818 - it reads as what happened: "Blocked: ..."
    """A URL the policy refuses to fetch; `str()` is one line naming the URL and why."""


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolves `host` to (an IP literal is itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def internal_reason(address: str) -> str | None:
    """Why an IP address is not a public one ("a loopback address" ...), or None when it is public."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return internal_reason(str(embedded))
    for test, what in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_private, "a private address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "the unspecified address"),
        (ip.is_reserved, "a reserved address"),
    ):
        if test:
            return what
    return None if ip.is_global else "not a public address"


@lru_cache(maxsize=2)
def _shared_suffixes(path: Path = Path(__file__).parent / "data" / "shared_suffixes.json") -> frozenset[str]:
    return frozenset(json_data(path)["suffixes"])


def own_domain(host: str) -> str:
    """The domain a host belongs to ("democracy.leeds.gov.uk" -> "leeds.gov.uk"); "" for an IP address or
    a one-label name, which stand only for themselves."""
    host = host.lower().rstrip(".")
    if not host or "." not in host or _is_ip(host):
        return ""
    labels = host.split(".")
    for n in range(len(labels), 0, -1):  # the longest shared suffix the host ends with
        if ".".join(labels[-n:]) in _shared_suffixes():
            return ".".join(labels[-n - 1 :]) if len(labels) > n else ""
    return ".".join(labels[-2:])


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


@dataclass(frozen=True)
class FetchPolicy:
    """Where one harvest may connect. Build it with `for_site`."""

    host: str  # the site's host name (lower case)
    port: int  # the site's port
    domain: str  # the council's own domain ("" when the site is an IP address or a one-label name)
    hosts: frozenset[str] = frozenset()  # more hosts the user allowed (`--allow-host`)
    allow_private: bool = False
    resolve: Resolver = field(default=system_resolver, compare=False)

    @classmethod
    def for_site(
        cls,
        site: str,
        hosts: Iterable[str] = (),
        allow_private: bool = False,
        resolve: Resolver = system_resolver,
    ) -> FetchPolicy:
        parts = urlsplit(site)
        host = (parts.hostname or "").rstrip(".")
        return cls(
            host=host,
            port=parts.port or DEFAULT_PORTS.get(parts.scheme, 0),
            domain=own_domain(host),
            hosts=frozenset(h.lower().rstrip(".") for h in hosts if h.strip()),
            allow_private=allow_private,
            resolve=resolve,
        )

    def on_site(self, host: str, port: int) -> bool:
        """The site's host, a host of the council's own domain or one the user named; on the site's port
        (or, as a site moves between http and https, a default port when the site is on one)."""
        defaults = set(DEFAULT_PORTS.values())
        if not (port == self.port or (port in defaults and self.port in defaults)):
            return False
        return (
            host == self.host
            or host in self.hosts
            or bool(self.domain)
            and (host == self.domain or host.endswith("." + self.domain))
        )

    def refusal(self, url: str) -> str | None:
        """Why `url` must not be fetched (one line), or None when it may be. Resolves its host."""
        try:
            parts = urlsplit(url)
            port = parts.port or DEFAULT_PORTS.get(parts.scheme, 0)
        except ValueError:
            return f"{url}: not a valid address"
        if parts.scheme not in DEFAULT_PORTS:
            return f"{url}: not an http(s) address"
        host = (parts.hostname or "").rstrip(".")
        if not self.on_site(host, port):
            where = self.domain or f"{self.host}:{self.port}"
            return f"{url}: not on the site's own host or the council's domain ({where})"
        try:
            self.checked_addresses(host, port)
        except Blocked as e:
            return f"{url}: {e}"
        return None

    def checked_addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for `host`; Blocked when any is internal and private ones are not
        allowed (a name with one internal address among public ones is refused whole), or none resolve."""
        try:
            addresses = self.resolve(host, port)
        except (OSError, UnicodeError) as e:
            raise Blocked(f"{host} does not resolve ({type(e).__name__})") from None
        if not addresses:
            raise Blocked(f"{host} does not resolve")
        if not self.allow_private:
            for address in addresses:
                why = internal_reason(address)
                if why:
                    shown = host if host == address else f"{host} ({address})"
                    raise Blocked(f"{shown} is {why}; harvesting one needs --allow-private")
        return addresses


def guarded_transport(policy: FetchPolicy, timeout: float) -> Any:
    """An httpx transport whose every connection goes to an address `policy` has just checked."""
    import httpcore
    import httpx

    class GuardedBackend(httpcore.SyncBackend):
        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> Any:
            error: Exception | None = None
            for address in policy.checked_addresses(host, port):  # Blocked propagates
                try:
                    return super().connect_tcp(address, port, timeout, local_address, socket_options)
                except httpcore.ConnectError as e:  # the next address of the name, as the system would
                    error = e
            raise error or httpcore.ConnectError(f"{host}: no address")

    class Body(httpx.SyncByteStream):
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __iter__(self) -> Iterator[bytes]:
            with _mapped():
                yield from self.inner

        def close(self) -> None:
            self.inner.close()

    class GuardedTransport(httpx.BaseTransport):
        def __init__(self) -> None:
            self.pool = httpcore.ConnectionPool(
                ssl_context=httpx.create_ssl_context(trust_env=False),
                network_backend=GuardedBackend(),
                max_connections=4,
                keepalive_expiry=timeout,
            )

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            req = httpcore.Request(
                method=request.method,
                url=httpcore.URL(
                    scheme=request.url.raw_scheme,
                    host=request.url.raw_host,
                    port=request.url.port,
                    target=request.url.raw_path,
                ),
                headers=request.headers.raw,
                content=request.stream,
                extensions=request.extensions,
            )
            with _mapped():
                resp = self.pool.handle_request(req)
            return httpx.Response(
                status_code=resp.status,
                headers=resp.headers,
                stream=Body(resp.stream),
                extensions=resp.extensions,
            )

        def close(self) -> None:
            self.pool.close()

    return GuardedTransport()


@contextmanager
def _mapped() -> Iterator[None]:
    """httpcore's errors as httpx's (timeouts stay timeouts), as httpx's own transport maps them."""
    import httpcore
    import httpx

    mapping = (
        (httpcore.ConnectTimeout, httpx.ConnectTimeout),
        (httpcore.ReadTimeout, httpx.ReadTimeout),
        (httpcore.WriteTimeout, httpx.WriteTimeout),
        (httpcore.PoolTimeout, httpx.PoolTimeout),
        (httpcore.ConnectError, httpx.ConnectError),
        (httpcore.ReadError, httpx.ReadError),
        (httpcore.WriteError, httpx.WriteError),
        (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
        (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    )
    try:
        yield
    except (
        httpcore.NetworkError,
        httpcore.TimeoutException,
        httpcore.ProtocolError,
        httpcore.UnsupportedProtocol,
    ) as e:
        ours = next((o for theirs, o in mapping if isinstance(e, theirs)), httpx.TransportError)
        raise ours(str(e)) from e


# ---- one URL a request is made to on a user's say-so (a saved search's webhook: index.webhooks) ----------

IP = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(ValueError):
    """A URL that may not be requested: one line naming the host and why."""


@dataclass(frozen=True)
class Target:
    url: str
    host: str  # as written in the URL (lower case, IPv6 without brackets)
    port: int
    addresses: tuple[str, ...]  # every address it resolved to, each checked

    def pinned_url(self) -> str:
        """The URL with its host replaced by the first checked address (send `host` as Host and SNI), so
        DNS cannot answer differently between the check and the request."""
        import httpx

        return str(httpx.URL(self.url).copy_with(host=self.addresses[0]))


def literal_ip(host: str) -> IP | None:
    """The address a host names by number, in any form the C library accepts; None for a name."""
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    try:  # inet_aton parses only (no lookup): "0x7f000001", "127.1", "017700000001", "2130706433"
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def why_internal(address: IP) -> str | None:
    """Why an address is not a public one, in a word ("loopback", "link-local", "non-public" ...; None when
    it is public): `internal_reason`'s answer."""
    reason = internal_reason(str(address))
    if reason is None:
        return None
    if reason.startswith("not a"):
        return "non-public"
    return reason.removeprefix("a ").removeprefix("the ").removesuffix(" address")


def check_url(url: str, *, allow_private: bool = False, resolve: Resolver = system_resolver) -> Target:
    """The URL's host resolved and each address checked; AddressRefused (one line) when it may not be reached.
    Numeric host forms are read as the address they are, without asking DNS; "localhost" is loopback
    whatever DNS says (RFC 6761); every address a name resolves to must pass."""
    parts = urlsplit(url)
    try:
        host, port = (parts.hostname or "").rstrip("."), parts.port
    except ValueError as e:
        raise AddressRefused(f"{url!r}: {e}") from None
    if parts.scheme not in DEFAULT_PORTS or not host:
        raise AddressRefused(f"{url!r} is not an http(s) address")
    port = port or DEFAULT_PORTS[parts.scheme]
    literal = literal_ip(host)
    if literal is not None:
        addresses = [str(literal)]
    elif host == "localhost" or host.endswith(".localhost"):
        addresses = ["127.0.0.1"]
    else:
        try:
            addresses = list(dict.fromkeys(a.split("%")[0] for a in resolve(host, port)))
        except (OSError, UnicodeError) as e:
            raise AddressRefused(f"{host}: cannot be resolved ({e})") from None
        if not addresses:
            raise AddressRefused(f"{host}: resolves to no address")
    if not allow_private:
        for a in addresses:
            reason = why_internal(ipaddress.ip_address(a))
            if reason:
                shown = host if host == a else f"{host} ({a})"
                raise AddressRefused(
                    f"{shown} is a {reason} address: refused (unless"
                    " COUNCILPAPERS_WEBHOOK_ALLOW_PRIVATE is set)"
                )
    return Target(url, host, port, tuple(addresses))
