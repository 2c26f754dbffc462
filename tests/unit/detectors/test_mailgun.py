"""MAILGUN_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.mailgun import MAILGUN_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('MAILGUN_API_KEY=key-3ax6xnjp29jd6fds4gc373sgvjxteol0', None, ['key-3ax6xnjp29jd6fds4gc373sgvjxteol0']),
    ('api key 0a1b2c3d4e5f60718293a4b5c6d7e8f9-1a2b3c4d-5e6f7a8b', None, ['0a1b2c3d4e5f60718293a4b5c6d7e8f9-1a2b3c4d-5e6f7a8b']),
    ('cache key-0a1b2c3d4e5f60718293a4b5c6d7e8f9', None, []),
    ('uuid 832d2129-a846-4e27-99f4-7004b6ad53ef', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(MAILGUN_KEY, text, key) == expected
