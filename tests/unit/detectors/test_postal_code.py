"""POSTAL_CODE: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.postal_code import POSTAL_CODE
from tests.unit.detectors.conftest import found

CASES = [
    ('my zip code is 94105', None, ['94105']),
    ('94105-1234', 'postal_code', ['94105-1234']),
    ('postcode SW1A 1AA', None, ['SW1A 1AA']),
    ('order 94105 shipped', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(POSTAL_CODE, text, key) == expected
