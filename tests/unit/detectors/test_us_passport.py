"""US_PASSPORT: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.us_passport import US_PASSPORT
from tests.unit.detectors.conftest import found

CASES = [
    ('passport number A12345678', None, ['A12345678']),
    ('912803456', 'passport_no', ['912803456']),
    ('ticket A12345678', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(US_PASSPORT, text, key) == expected
