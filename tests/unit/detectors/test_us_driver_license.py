"""US_DRIVER_LICENSE: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.us_driver_license import US_DRIVER_LICENSE
from tests.unit.detectors.conftest import found

CASES = [
    ("driver's license D1234567", None, ['D1234567']),
    ('my driver license number is 2270-66-1551', None, ['2270-66-1551']),
    ('license ABC-12', None, []),
    ('invoice D1234567', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(US_DRIVER_LICENSE, text, key) == expected
