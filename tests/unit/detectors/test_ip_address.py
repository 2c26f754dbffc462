"""IP_ADDRESS: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.ip_address import IP_ADDRESS, IP_V6_ADDRESS
from tests.unit.detectors.conftest import found

CASES = [
    ('from 203.0.113.7 at noon', None, ['203.0.113.7']),
    ('10.0.0.12', 'client', ['10.0.0.12']),
    ('127.0.0.1', None, []),
    ('999.1.1.1', None, []),
    ('1.2.3', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(IP_ADDRESS, text, key) == expected


V6_CASES = [
    ('blocked: 2001:db8:85a3:0:0:8a2e:370:7334 again', None, ['2001:db8:85a3:0:0:8a2e:370:7334']),
    ('keep getting address 6e40:4a1:c617:e898:c11:40d2:c669:2eb4 blocked', None,
     ['6e40:4a1:c617:e898:c11:40d2:c669:2eb4']),
    ('from fe80::1ff:fe23:4567:890a.', None, ['fe80::1ff:fe23:4567:890a']),
    ('peer 2001:db8::7 connected', None, ['2001:db8::7']),
    ('mapped ::ffff:192.0.2.128 here', None, ['::ffff:192.0.2.128']),
    # loopback and unspecified, times, MAC addresses, C++ scopes, ratios
    ('listening on ::1 and ::', None, []),
    ('at 12:30:45 today', None, []),
    ('mac 00:1a:2b:3c:4d:5e', None, []),
    ('std::cout << a::b', None, []),
    ('ratio 16:9', None, []),
    ('for child in children[::2]: zip(s[1::2])', None, []),
    ("IPv6Network('200::/7')", None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), V6_CASES)
def test_reports_ipv6_addresses(text: str, key: str | None, expected: list[str]) -> None:
    assert found(IP_V6_ADDRESS, text, key) == expected
