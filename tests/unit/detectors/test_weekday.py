"""WEEKDAY: a day of the week after a word that dates something, in any case."""

import pytest

from detectors.patterns.date_time import WEEKDAY
from tests.unit.detectors.conftest import found

CASES = [
    ('mr. elliott flew to bergen on friday morning.', None, ['friday']),
    ('See you next Tuesday', None, ['Tuesday']),
    ('open until SUNDAY', None, ['SUNDAY']),
    ('we meet on mondays', None, ['mondays']),
    # a weekday that dates nothing, or a word that only contains one
    ('Robinson Crusoe and Friday', None, []),
    ('the fridays_for_future tag', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(WEEKDAY, text, key) == expected
