"""DATADOG_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.datadog import DATADOG_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('DD_API_KEY=0a1b2c3d4e5f60718293a4b5c6d7e8f9', None, ['0a1b2c3d4e5f60718293a4b5c6d7e8f9']),
    ('datadog site: datadoghq.eu', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(DATADOG_KEY, text, key) == expected
