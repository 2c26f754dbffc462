"""CITY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.city import CITY, CITY_LOWER_CASE
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
    # Greek names in capitals lose their accents; the increment sign written for a delta
    ('I am in ΠΑΤΡΑ for a week', None, ['ΠΑΤΡΑ']),
    ('originally from ΚΑΤΩ ΠΟΛΕΜΙ\u2206ΙΑ, now here', None, ['ΚΑΤΩ ΠΟΛΕΜΙ\u2206ΙΑ']),
    ('we returned to odense', None, []),
    # towns of 1,000 people or more (towns.txt), not acronyms, brands or everyday words
    ('a week in Bad Kleinkirchheim', None, ['Bad Kleinkirchheim']),
    ('flew to Kinsarvik on Friday', None, ['Kinsarvik']),
    ('the budget in NER times out', None, []),
    ('files exposed to Apache in the config', None, []),
    ('they want to Buy it', None, []),
]

LOWER_CASE = [
    ('my friend lives in tromsø', ['tromsø']),
    ('we flew to odense by boat, then to bergen.', ['odense', 'bergen']),
    ('a week in bad kleinkirchheim', ['bad kleinkirchheim']),
    ('please talk to irene', []),
    ('priority set to normal, in progress', []),
    ('go to bed', []),
    ('We flew to Odense', []),
]


@pytest.mark.parametrize(("text", "expected"), LOWER_CASE)
def test_places_in_lower_case_text(text: str, expected: list[str]) -> None:
    assert found(CITY_LOWER_CASE, text) == expected


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(CITY, text, key) == expected
