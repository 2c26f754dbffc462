"""DATE_TIME: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.date_time import DATE_TIME
from tests.unit.detectors.conftest import found

CASES = [
    ('born 9/23/1987', None, ['9/23/1987']),
    ('at 2003-11-08 17:52:06 UTC', None, ['2003-11-08 17:52:06']),
    ('on March 3, 1981', None, ['March 3, 1981']),
    ('version 3.14', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(DATE_TIME, text, key) == expected
