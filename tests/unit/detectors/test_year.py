"""YEAR: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.date_time import YEAR
from tests.unit.detectors.conftest import found

CASES = [
    ('born in 1971', None, ['1971']),
    ('During 1972, sales grew', None, ['1972']),
    ('the Clean Air Act of 1970 set limits', None, ['1970']),
    ('she was class of 2001.', None, ['2001']),
    ('the summer of 1969 was hot', None, ['1969']),
    ('in 1500 cases', None, []),
    ('page 3 of 2010', None, []),
    ('one out of 2000 users', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(YEAR, text, key) == expected
