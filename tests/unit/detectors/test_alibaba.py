"""ALIBABA_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.alibaba import ALIBABA_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tQ8Zr2LmX0vT7nB4kW1', None, ['LTAI5tQ8Zr2LmX0vT7nB4kW1']),
    ('LTAI', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ALIBABA_KEY, text, key) == expected
