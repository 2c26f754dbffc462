"""DOPPLER_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.doppler import DOPPLER_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('DOPPLER_TOKEN=dp.st.q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Z', None, ['dp.st.q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Z']),
    ('dp.st.short', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(DOPPLER_TOKEN, text, key) == expected
