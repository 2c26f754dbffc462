"""SHOPIFY_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.shopify import SHOPIFY_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('X-Shopify-Access-Token: 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', None, ['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']),
    ('secret=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', None, ['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']),
    ('shpat_notatoken', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SHOPIFY_TOKEN, text, key) == expected
