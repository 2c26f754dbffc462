"""WEBHOOK_URL: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.webhook_url import WEBHOOK_URL
from tests.unit.detectors.conftest import found

CASES = [
    ('curl -X POST https://discord.com/api/webhooks/123456789012345678/q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2L', None, ['https://discord.com/api/webhooks/123456789012345678/q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2L']),
    ('https://discord.com/channels/123', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(WEBHOOK_URL, text, key) == expected
