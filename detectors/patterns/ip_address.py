import ipaddress
import re

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
    pattern=re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"),
    score=0.6,
    keywords=(".",),
    context_keys=("ip", "addr", "client", "remote"),
    validate=_public_or_private_host,
    min_digits=4,
)
