"""STRIPE_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.stripe import STRIPE_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('sk_live_4eC39HqLyjWDarjtT1zdp7dc', None, ['sk_live_4eC39HqLyjWDarjtT1zdp7dc']),
    ('sk_live_short', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(STRIPE_KEY, text, key) == expected
