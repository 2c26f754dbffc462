"""SQUARE_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.square import SQUARE_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('SQUARE_ACCESS_TOKEN=EAAAEOuLQObrVwJvCvoio0Aa9c6hJ3sYH4mgV4fgAdHgOt3ePcGh6kYHIxS2kYHu', None, ['EAAAEOuLQObrVwJvCvoio0Aa9c6hJ3sYH4mgV4fgAdHgOt3ePcGh6kYHIxS2kYHu']),
    ('sq0csp-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG', None, ['sq0csp-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG']),
    ('EAAA is a prefix', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SQUARE_TOKEN, text, key) == expected
