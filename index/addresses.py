"""Which addresses a request made on a user's say-so (a saved search's webhook) may reach.

A URL is refused when its host is, or resolves to, an address that is not public: loopback
(127.0.0.0/8, ::1, "localhost"), private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
(169.254/16 — cloud metadata services live there — and fe80::/10), shared, multicast, reserved or
unspecified; IPv4 inside IPv6 (::ffff:a.b.c.d, 6to4) is judged as the IPv4 it carries. Numeric host
forms the C library also accepts ("0x7f000001", "2130706433", "127.1") are read as the address they
are, without asking DNS. Every address a name resolves to must pass, and the request then goes to
one of those checked addresses (`Target.pinned_url`), so DNS cannot answer differently in between.
"""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port -> the IP addresses (as text) a name resolves to; tests pass a stub
Resolver = Callable[[str, int], list[str]]


class AddressRefused(ValueError):
    """A URL that may not be requested: one line naming the host and why."""


@dataclass(frozen=True)
class Target:
    url: str
    host: str  # as written in the URL (lower case, IPv6 without brackets)
    port: int
    addresses: tuple[str, ...]  # every address it resolved to, each checked

    def pinned_url(self) -> str:
        """The URL with its host replaced by the first checked address (send `host` as Host and SNI)."""
        import httpx

        return str(httpx.URL(self.url).copy_with(host=self.addresses[0]))


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


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
    """Why an address is not a public one (None when it is)."""
    if isinstance(address, ipaddress.IPv6Address):
        carried = address.ipv4_mapped or address.sixtofour
        if carried is not None:
            return why_internal(carried)
    for test, reason in (("is_loopback", "loopback"), ("is_link_local", "link-local"),
                         ("is_unspecified", "unspecified"), ("is_multicast", "multicast"),
                         ("is_private", "private"), ("is_reserved", "reserved")):
        if getattr(address, test):
            return reason
    return None if address.is_global else "non-public"


def check_url(url: str, *, allow_private: bool = False, resolve: Resolver = system_resolver) -> Target:
    """The URL's host resolved and each address checked; AddressRefused (one line) when it may not be reached."""
    parts = urlsplit(url)
    try:
        host, port = (parts.hostname or "").rstrip("."), parts.port
    except ValueError as e:
        raise AddressRefused(f"{url!r}: {e}") from None
    if parts.scheme not in {"http", "https"} or not host:
        raise AddressRefused(f"{url!r} is not an http(s) address")
    port = port or (443 if parts.scheme == "https" else 80)
    literal = literal_ip(host)
    if literal is not None:
        addresses = [str(literal)]
    elif host == "localhost" or host.endswith(".localhost"):  # RFC 6761: always loopback, whatever DNS says
        addresses = ["127.0.0.1"]
    else:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError) as e:
            raise AddressRefused(f"{host}: cannot be resolved ({e})") from None
        if not addresses:
            raise AddressRefused(f"{host}: resolves to no address")
    if not allow_private:
        for a in addresses:
            reason = why_internal(ipaddress.ip_address(a))
            if reason:
                shown = host if host == a else f"{host} ({a})"
                raise AddressRefused(f"{shown} is a {reason} address: refused (unless"
                                     " COUNCILPAPERS_WEBHOOK_ALLOW_PRIVATE is set)")
    return Target(url, host, port, tuple(addresses))
