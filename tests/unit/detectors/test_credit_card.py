"""CREDIT_CARD: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.credit_card import CREDIT_CARD
from tests.unit.detectors.conftest import found

CASES = [
    ('card 4111 1111 1111 1111 exp', None, ['4111 1111 1111 1111']),
    ('4111-1111-1111-1111', None, ['4111-1111-1111-1111']),
    ('378282246310005', None, ['378282246310005']),
    ('4111 1111 1111 1112', None, []),
    ('order 1234567890123', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(CREDIT_CARD, text, key) == expected
