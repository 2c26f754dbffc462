"""The client address a request's failed sign-ins count against (sign_in_limits.py).

By default it is the TCP peer's. Behind a reverse proxy every client has the proxy's address,
so everyone shares one limit; `AFTERGUARD_REVIEW_TRUSTED_PROXIES` names the proxies' addresses
or networks (comma-separated: `10.0.0.5, 10.1.0.0/16, ::1`), and only for a request whose peer
is one of them is the forwarding header read (`AFTERGUARD_REVIEW_PROXY_HEADER`:
`X-Forwarded-For`, the default, or `Forwarded`, RFC 7239; never both, because a proxy that sets
one passes the other through as the client wrote it). The client is the right-most hop that is
not a trusted proxy: every hop to its right was appended by a proxy we trust, every hop to its
left was written by the client and proves nothing. A hop that is not an address (`unknown`, an
obfuscated `_node`) ends the walk at the proxy that wrote it. From any other peer the headers
are ignored: a client cannot name its own address.

IPv6 addresses count per /64 network: one host is usually given a whole /64, and would
otherwise have 2**64 addresses to spread its guesses over.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

HEADERS = ("x-forwarded-for", "forwarded")
MAX_HOPS = 32  # hops walked from the right; a chain of more proxies than this is not real
IPV6_LIMIT_PREFIX = 64


class ProxySettingError(ValueError):
    """A trusted-proxy setting that is not an address or a network (the message names it)."""


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[IpNetwork, ...] = ()
    header: str = "x-forwarded-for"  # lower case, one of HEADERS

    @classmethod
    def parse(cls, listed: str, header: str = "") -> TrustedProxies:
        networks = []
        for text in (part.strip() for part in listed.split(",")):
            if not text:
                continue
            try:
                networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                raise ProxySettingError(f"AFTERGUARD_REVIEW_TRUSTED_PROXIES: {text!r} is not an "
                                        "IP address or network (10.0.0.5, 10.1.0.0/16)") from None
        name = header.strip().lower() or "x-forwarded-for"
        if name not in HEADERS:
            raise ProxySettingError(f"AFTERGUARD_REVIEW_PROXY_HEADER: {header!r} is neither "
                                    "X-Forwarded-For nor Forwarded")
        return cls(tuple(networks), name)

    def trusts(self, address: IpAddress) -> bool:
        return any(address in network for network in self.networks)

    def client_of(self, peer: str | None, headers: Mapping[str, str]) -> str:
        """The key failed sign-ins count against: the peer, or, from a trusted proxy, the
        right-most untrusted hop of the forwarding header (module docstring)."""
        address = _address(peer or "")
        if address is None:
            return "unknown"
        if self.trusts(address):
            for hop in list(reversed(_hops(headers, self.header)))[:MAX_HOPS]:
                forwarded = _address(hop)
                if forwarded is None:
                    break  # the proxy that wrote it did not know: count it as the proxy's
                address = forwarded
                if not self.trusts(address):
                    break
        return _limit_key(address)


def _hops(headers: Mapping[str, str], name: str) -> list[str]:
    """The header's hops, left to right, over every line of it in order."""
    lines: Iterable[str] = (headers.getall(name, []) if hasattr(headers, "getall")
                            else [headers.get(name) or ""])
    hops = [hop.strip() for line in lines for hop in line.split(",")]
    if name == "forwarded":
        return [_forwarded_for(element) for element in hops]
    return hops


def _forwarded_for(element: str) -> str:
    """The `for=` of one Forwarded element (`for=192.0.2.60;proto=https`); '' without one."""
    for pair in element.split(";"):
        key, _, value = pair.partition("=")
        if key.strip().lower() == "for":
            return value.strip().strip('"')
    return ""


def _address(text: str) -> IpAddress | None:
    """An address written bare, `[v6]`, `[v6]:port` or `v4:port`; None for anything else."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text.partition("%")[0])  # no zone id
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _limit_key(address: IpAddress) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_LIMIT_PREFIX), strict=False))
    return str(address)
