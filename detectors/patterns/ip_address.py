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
