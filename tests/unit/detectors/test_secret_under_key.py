"""SECRET_UNDER_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.secret_under_key import SECRET_UNDER_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('q8Zr2LmX0vT7nB4kW1yP', 'api_token', ['q8Zr2LmX0vT7nB4kW1yP']),
    ('5351a89e6c1e3e70736f5813886d176a', 'auth_token', ['5351a89e6c1e3e70736f5813886d176a']),
    ('q8Zr2LmX0vT7nB4kW1yP', 'signingKey', ['q8Zr2LmX0vT7nB4kW1yP']),
    ('q8Zr2LmX0vT7nB4kW1yP', 'request_id', []),
    ('q8Zr2LmX0vT7nB4kW1yP', 'token_id', []),
    ('aaaaaaaaaaaaaaaaaaaa', 'password', []),
    ('orders-db-credentials', 'secret_name', []),
    ('https://auth.internal/oauth/token', 'token_url', []),
    ('q8Zr2LmX0vT7nB4kW1yP', 'author', []),
    ('q8Zr2LmX0vT7nB4kW1yP', 'primary_key', []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SECRET_UNDER_KEY, text, key) == expected
