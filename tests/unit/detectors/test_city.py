"""CITY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.city import CITY
from tests.unit.detectors.conftest import found

CASES = [
    ("I'm in TRONDHEIM this week", None, ['TRONDHEIM']),
    ('we returned to Odense on Monday', None, ['Odense']),
    ('Where: Castelo Branco Golf Club', None, ['Castelo Branco']),
    ('She studied at Πάτρα before', None, ['Πάτρα']),
    ('a meeting near Oulu', None, ['Oulu']),
    # everyday words that name cities, given names after `to`, unknown places, lower case
    ('Priority set to Normal', None, []),
    ('Status: In Progress', None, []),
    ('please talk to Irene', None, []),
    ('moved to Trash', None, []),
    ('we returned to odense', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(CITY, text, key) == expected
