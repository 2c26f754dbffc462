"""US_BANK_ACCOUNT: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.us_bank import US_BANK_ACCOUNT
from tests.unit.detectors.conftest import found

CASES = [
    ('checking account 123456789012', None, ['123456789012']),
    ('00123456789', 'account_number', ['00123456789']),
    ('order 123456789012', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(US_BANK_ACCOUNT, text, key) == expected
