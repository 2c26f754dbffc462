"""AI_PROVIDER_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.ai_providers import AI_PROVIDER_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('GROQ_API_KEY=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', None, ['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']),
    ('REPLICATE_API_TOKEN=r8_q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW', None, ['r8_q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW']),
    ('gsk_short', None, []),
    ('r8_abc', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(AI_PROVIDER_KEY, text, key) == expected
