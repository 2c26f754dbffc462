"""CLOUDFLARE_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.cloudflare import CLOUDFLARE_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('CLOUDFLARE_API_TOKEN=Bu0rrK-lerk6y0Suqo1qSqlDDajOk61wZchCkje4', None, ['Bu0rrK-lerk6y0Suqo1qSqlDDajOk61wZchCkje4']),
    ('cloudflare_global_api_key = "d3d1443e0adc9c24564c6c5676d679d47e2ca"', None, ['d3d1443e0adc9c24564c6c5676d679d47e2ca']),
    ('cloudflare zone: example.com', None, []),
    ('cloudflare_api_token = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(CLOUDFLARE_KEY, text, key) == expected
