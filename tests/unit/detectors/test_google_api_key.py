"""GOOGLE_API_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.google import GOOGLE_API_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', None, ['AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY']),
    ('AIzaShort', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(GOOGLE_API_KEY, text, key) == expected
