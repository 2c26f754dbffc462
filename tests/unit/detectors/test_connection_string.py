"""CONNECTION_STRING: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.connection_string import CONNECTION_STRING
from tests.unit.detectors.conftest import found

CASES = [
    ('postgresql://app:s3cr3tPw@db.internal:5432/orders', None, ['s3cr3tPw']),
    ('https://example.com/a:b', None, []),
    ('postgres://app:password@db', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(CONNECTION_STRING, text, key) == expected
