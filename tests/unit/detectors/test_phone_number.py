"""PHONE_NUMBER: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.phone_number import PHONE_NUMBER
from tests.unit.detectors.conftest import found

CASES = [
    ('call (415) 555-0132 today', None, ['(415) 555-0132']),
    ('+44 20 7946 0958', None, ['+44 20 7946 0958']),
    ('order 4155550132', None, []),
    ('version 1.2.3', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PHONE_NUMBER, text, key) == expected
