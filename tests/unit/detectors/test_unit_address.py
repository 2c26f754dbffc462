"""UNIT_ADDRESS: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.street_address import UNIT_ADDRESS
from tests.unit.detectors.conftest import found

CASES = [
    ('Apt. 605', None, ['Apt. 605']),
    ('Unit 3071 Box 6624', None, ['Unit 3071 Box 6624']),
    ('FPO AP 41873', None, ['FPO AP 41873']),
    ('the apartment is nice', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(UNIT_ADDRESS, text, key) == expected
