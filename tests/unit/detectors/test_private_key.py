"""PRIVATE_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.private_key import PRIVATE_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', None, ['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----']),
    ('-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PRIVATE_KEY, text, key) == expected
