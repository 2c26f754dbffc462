import ipaddress

from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector


def _public_or_private_host(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return not (address.is_unspecified or address.is_loopback)


IP_ADDRESS = PatternDetector(
    id="ip-address",
    entity="IP_ADDRESS",
    pattern=LinearRegex(r"(?:^|[^\d.])(?P<m>(?:\d{1,3}\.){3}\d{1,3})(?:[^\d.]|\z)",
                        context_before=True),
    score=0.6,
    keywords=(".",),
    context_keys=("ip", "addr", "client", "remote"),
    validate=_public_or_private_host,
    min_digits=4,
)

_HEX = r"[0-9A-Fa-f]{1,4}"


def _ipv6_host(value: str) -> bool:
    """An IPv6 address, not a slice (`[1::2]`) or a bare prefix (`200::`): two groups or more,
    one of three or four digits (`fe80::1`), or an IPv4 tail."""
    groups = [g for g in value.split(":") if g]
    if "." not in value and (len(groups) < 2 or all(len(g) < 3 for g in groups)):
        return False
    return _public_or_private_host(value)


IP_V6_ADDRESS = PatternDetector(
    id="ip-v6-address",
    entity="IP_ADDRESS",
    # IPv6 in full (`2001:db8:85a3:0:0:8a2e:370:7334`) or compressed (`fe80::1ff:fe23:4567:890a`,
    # `2001:db8::7`) form, with an IPv4 tail (`::ffff:192.0.2.128`); Python's `ipaddress`
    # decides, so times (`12:30:45`), MAC addresses and `std::cout` are left alone, and so
    # are slices (`a[1::2]`).
    pattern=LinearRegex(
        rf"(?:^|[^\w:.])(?P<m>(?:{_HEX}:){{7}}{_HEX}"
        rf"|(?:{_HEX}:){{1,7}}:(?:{_HEX}(?::{_HEX}){{0,6}})?"
        rf"|::(?:{_HEX}(?::{_HEX}){{0,6}})"
        rf"|(?:{_HEX}:){{1,6}}:?(?:{_HEX}:){{0,5}}(?:\d{{1,3}}\.){{3}}\d{{1,3}}"
        rf"|::(?:ffff:)?(?:\d{{1,3}}\.){{3}}\d{{1,3}})(?:[^\w:.]|\.(?:[^\w]|\z)|\z)",
        context_before=True,
    ),
    score=0.6,
    keywords=(":",),
    context_keys=("ip", "addr", "client", "remote"),
    validate=_ipv6_host,
    min_digits=1,
)
