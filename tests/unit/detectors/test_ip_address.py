"""IP_ADDRESS: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.ip_address import IP_ADDRESS
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
