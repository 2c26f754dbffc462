"""UNIT_ADDRESS: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.street_address import UNIT_ADDRESS
from tests.unit.detectors.conftest import found

CASES = [
    ('Apt. 117', None, ['Apt. 117']),
    ('Unit 8524 Box 0979', None, ['Unit 8524 Box 0979']),
    ('FPO AE 25990', None, ['FPO AE 25990']),
    ('the apartment is nice', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(UNIT_ADDRESS, text, key) == expected
