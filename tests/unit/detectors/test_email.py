"""EMAIL: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.email import EMAIL
from tests.unit.detectors.conftest import found

CASES = [
    ('write to jane.doe+x@mail.example.org today', None, ['jane.doe+x@mail.example.org']),
    ('ops@corp.io', 'contact', ['ops@corp.io']),
    ('not an email: foo@bar', None, []),
    ('@handle on social', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(EMAIL, text, key) == expected
