"""POSTMAN_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.postman import POSTMAN_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('x-api-key: PMAK-0a1b2c3d4e5f60718293a4b5-0a1b2c3d4e5f60718293a4b5c6d7e8f901', None, ['PMAK-0a1b2c3d4e5f60718293a4b5-0a1b2c3d4e5f60718293a4b5c6d7e8f901']),
    ('PMAK-123', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(POSTMAN_KEY, text, key) == expected
