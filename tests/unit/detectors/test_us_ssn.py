"""US_SSN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.us_ssn import US_SSN
from tests.unit.detectors.conftest import found

CASES = [
    ('SSN 219-09-9999 on file', None, ['219-09-9999']),
    ('219 09 9999', None, ['219 09 9999']),
    ('000-12-3456', None, []),
    ('666-12-3456', None, []),
    ('123-45-67890', None, []),
    ('219-09 9999', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(US_SSN, text, key) == expected
