"""TWILIO_API_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.twilio import TWILIO_API_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('SK0123456789abcdef0123456789abcdef', None, ['SK0123456789abcdef0123456789abcdef']),
    ('twilio auth token: 0123456789abcdef0123456789abcdef', None, ['0123456789abcdef0123456789abcdef']),
    ('SKETCH the plan', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(TWILIO_API_KEY, text, key) == expected
