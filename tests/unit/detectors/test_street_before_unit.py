"""STREET_BEFORE_UNIT: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.street_before_unit import STREET_BEFORE_UNIT
from tests.unit.detectors.conftest import found

CASES = [
    ('Ship to Mäkelänkatu 12 Apt. 4, Helsinki', None, ['Mäkelänkatu 12 Apt. 4']),
    ('deliver to 88 Praceta Kolovrat 7, Suite 210 please', None, ['88 Praceta Kolovrat 7, Suite 210']),
    ('send it to zeleni venac 14 apt. 3b', None, ['zeleni venac 14 apt. 3b']),
    ('Stanislavova 9\n  Suite 12', None, ['Stanislavova 9\n  Suite 12']),
    # no street name before the number, or no unit after it
    ('it is 53 Apt. 641', None, []),
    ('Tested on 3 suites', None, []),
    ('Hall 4 Booth 12', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(STREET_BEFORE_UNIT, text, key) == expected
