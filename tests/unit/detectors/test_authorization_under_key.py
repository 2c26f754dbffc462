"""AUTHORIZATION_UNDER_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.authorization_under_key import AUTHORIZATION_UNDER_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('Bearer 5LB5aww13CqMgVBTP56vC70m', 'Authorization', ['5LB5aww13CqMgVBTP56vC70m']),
    ('Basic YWRtaW46c2VjcmV0MTIz', 'proxy-authorization', ['YWRtaW46c2VjcmV0MTIz']),
    ('Bearer 5LB5aww13CqMgVBTP56vC70m', 'note', []),
    ('Bearer <token>', 'Authorization', []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(AUTHORIZATION_UNDER_KEY, text, key) == expected
