"""SALESFORCE_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.salesforce import SALESFORCE_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('Authorization: Bearer 00D5e000001N2aB!AQ0AQHk8Z2Lm.X0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yP_q8Zr2L', None, ['00D5e000001N2aB!AQ0AQHk8Z2Lm.X0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yP_q8Zr2L']),
    ('00D5e000001N2aB is our org id', None, []),
    ('00D5e000001N2aB!short', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SALESFORCE_TOKEN, text, key) == expected
