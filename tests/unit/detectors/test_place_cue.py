"""LOCATION after a verb of travel or residence: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.place_cue import (
    PLACE_AFTER_CUE,
    PLACE_AFTER_CUE_LOWER_CASE,
    PLACE_AFTER_WEAK_CUE,
)
from tests.unit.detectors.conftest import found

CASES = [
    ('Mr. Kovačević flew to KNARSWOLD on Monday morning.', None, ['KNARSWOLD']),
    ('He grew up in Fontelas de Baixo.', None, ['Fontelas de Baixo']),
    ('We moved here from Skærbæk', None, ['Skærbæk']),
    ('a bakery based in HAMINA.', None, ['HAMINA']),
    ('studying at the University of Nicosia.', None, ['Nicosia']),
    ('Our courier arrived at Wadestown before noon', None, ['Wadestown']),
    ('Message moved to Trash', None, []),
    ('the job returned to PENDING state', None, []),
    ('she was born in March', None, []),
    ('based in the Bank of Ireland building', None, []),
    ('lives in Building 4', None, []),
    ('flew to the coast', None, []),
    ('flew to /var/log', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PLACE_AFTER_CUE, text, key) == expected


# Issue 14: places no list holds, after words that say where someone is or goes (`I'm in`,
# `a trip to`, `visiting`), and in text written all in lower case.
WEAK_CUE_CASES = [
    ("I'm in Ravenmoor for the week.", ["Ravenmoor"]),
    ("I am in ÖSTERBY, at the fair", ["ÖSTERBY"]),
    ("We booked a trip to Kallavesi Ranta last year.", ["Kallavesi Ranta"]),
    ("my home town Tarnhollow is small", ["Tarnhollow"]),
    ("They were visiting Brenzaloch in May", ["Brenzaloch"]),
    ("a holiday in Vellamoor", ["Vellamoor"]),
    ("I am in Finance now.", []),          # a team: an everyday word
    ("I'm in HR until five", []),           # an acronym
    ("visiting Anna today", []),            # a given name
    ("I am in Germans' company", []),       # a people
    ("I'm in Progress meetings", []),
    ("ticket to Ride", []),
]


@pytest.mark.parametrize(("text", "expected"), WEAK_CUE_CASES)
def test_a_place_no_list_holds_after_a_weaker_cue(text: str, expected: list[str]) -> None:
    assert found(PLACE_AFTER_WEAK_CUE, text) == expected


LOWER_CASE_CASES = [
    ("mr. hale flew to kallavesi on friday morning.", ["kallavesi"]),
    ("she grew up in ravenmoor and left at 18", ["ravenmoor"]),
    ("we visited tarnhollow twice", ["tarnhollow"]),
    ("originally from brenzaloch, now here", ["brenzaloch"]),
    ("she lives in fear of it", []),
    ("born in 1984", []),
    ("flew to anna's place", []),           # a given name
    ("I'm in Ravenmoor", []),               # not a lower-case leaf (the capitalised rule's)
]


@pytest.mark.parametrize(("text", "expected"), LOWER_CASE_CASES)
def test_a_place_after_a_cue_in_lower_case_text(text: str, expected: list[str]) -> None:
    assert found(PLACE_AFTER_CUE_LOWER_CASE, text) == expected
