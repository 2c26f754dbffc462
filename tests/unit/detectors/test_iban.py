"""IBAN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.iban import IBAN
from tests.unit.detectors.conftest import found

CASES = [
    ('IBAN GB82WEST12345698765432 please', None, ['GB82WEST12345698765432']),
    ('DE89 3704 0044 0532 0130 00', None, ['DE89 3704 0044 0532 0130 00']),
    ('my iban is gb82west12345698765432', None, ['gb82west12345698765432']),
    ('de89 3704 0044 0532 0130 00', None, ['de89 3704 0044 0532 0130 00']),
    ('GB82WEST12345698765433', None, []),
    ('gb82west12345698765433', None, []),
    ('Gb82West12345698765432', None, []),
    ('XX00ABCD1234', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(IBAN, text, key) == expected
