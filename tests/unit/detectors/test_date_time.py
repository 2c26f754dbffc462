"""DATE_TIME: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.date_time import DATE_TIME
from tests.unit.detectors.conftest import found

CASES = [
    ('born 7/14/1995', None, ['7/14/1995']),
    ('at 2000-04-16 11:34:35 UTC', None, ['2000-04-16 11:34:35']),
    ('on March 3, 1981', None, ['March 3, 1981']),
    ('version 3.14', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(DATE_TIME, text, key) == expected
