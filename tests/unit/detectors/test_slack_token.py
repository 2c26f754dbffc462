"""SLACK_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.slack import SLACK_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', None, ['xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx']),
    ('xox is a word', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SLACK_TOKEN, text, key) == expected
