"""HEROKU_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.heroku import HEROKU_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('HEROKU_API_KEY=HRKU-AAlQ1aVoHDujJ9QsDHdHlHO0hbzhoERRSO45ZQusSYHg_____w4_hLrAym_u', None, ['HRKU-AAlQ1aVoHDujJ9QsDHdHlHO0hbzhoERRSO45ZQusSYHg_____w4_hLrAym_u']),
    ('heroku_api_key = "832d2129-a846-4e27-99f4-7004b6ad53ef"', None, ['832d2129-a846-4e27-99f4-7004b6ad53ef']),
    ('request id 832d2129-a846-4e27-99f4-7004b6ad53ef', None, []),
    ('heroku app: my-app', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(HEROKU_KEY, text, key) == expected
