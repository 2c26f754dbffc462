"""NEW_RELIC_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.newrelic import NEW_RELIC_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('NEW_RELIC_API_KEY=NRAK-7KQ2M9XZL4P8R1T6W3Y5B0C2D9E', None, ['NRAK-7KQ2M9XZL4P8R1T6W3Y5B0C2D9E']),
    ('license_key: 0a1b2c3d4e5f60718293a4b5c6d7e8f90a1bNRAL', None, ['0a1b2c3d4e5f60718293a4b5c6d7e8f90a1bNRAL']),
    ('newrelic.insert_key = NRII-q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7', None, ['NRII-q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7']),
    ('NRAK-SHORT', None, []),
    ('see the NRAL docs', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(NEW_RELIC_KEY, text, key) == expected
