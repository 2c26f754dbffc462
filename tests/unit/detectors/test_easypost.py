"""EASYPOST_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.easypost import EASYPOST_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('EASYPOST_API_KEY=EZAKGIz3qyV4J1TQt7frRgjix7YSdn60LNJMRLdHb2U9LhOS0irYkPvdRH', None, ['EZAKGIz3qyV4J1TQt7frRgjix7YSdn60LNJMRLdHb2U9LhOS0irYkPvdRH']),
    ('key = "EZTKUNL9yf4StfxDPNV2adCV1jFzYI20eBahcyXic6YOZq0M7qO60lI5Qf"', None, ['EZTKUNL9yf4StfxDPNV2adCV1jFzYI20eBahcyXic6YOZq0M7qO60lI5Qf']),
    # near misses
    ('EZAK1234', None, []),
    ('EZAKTEST', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(EASYPOST_KEY, text, key) == expected
