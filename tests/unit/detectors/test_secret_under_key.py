"""SECRET_UNDER_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.secret_under_key import SECRET_UNDER_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('q8Zr2LmX0vT7nB4kW1yP', 'api_token', ['q8Zr2LmX0vT7nB4kW1yP']),
    ('q8Zr2LmX0vT7nB4kW1yP', 'request_id', []),
    ('aaaaaaaaaaaaaaaaaaaa', 'password', []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SECRET_UNDER_KEY, text, key) == expected
