"""A postcode and its town written together without a cue (issue 14: postcodes of other
countries): the postcode first, as most of Europe writes it, or the town first."""

import pytest

from detectors.patterns.postcode_town import POSTCODE_BEFORE_TOWN, TOWN_BEFORE_POSTCODE
from tests.unit.detectors.conftest import found

BEFORE = [
    ("Lindenweg 4, 10115 Berlin", ["10115 Berlin"]),
    ("Please ship it to 69003 Lyon, France.", ["69003 Lyon"]),
    ("The depot is in 1017 AB Amsterdam.", ["1017 AB Amsterdam"]),
    ("ul. Lipowa 3, 31-072 Kraków", ["31-072 Kraków"]),
    ("Vesterbrogade 9, 8000 Århus C", ["8000 Århus"]),
    ("CH-8001 Zürich", ["CH-8001 Zürich"]),
    ("sent from 4400-123 Vila Nova de Gaia", ["4400-123 Vila Nova de Gaia"]),
    # a year, the number of a thing, an unknown word, no postcode shape
    ("In 2012 London hosted the games", []),
    ("see page 12345 Paris edition", []),
    ("Room 1421 Berlin", []),
    ("we sold 12345 Widgets", []),
    ("build 20451 Lisbon branch", []),
    ("version 1.10115 Berlin", []),
    ("-rw-r--r-- 1 root root 1024 Nov 12 10:31 notes.txt", []),   # a size and a month
]


@pytest.mark.parametrize(("text", "expected"), BEFORE)
def test_a_postcode_before_its_town(text: str, expected: list[str]) -> None:
    assert found(POSTCODE_BEFORE_TOWN, text) == expected


AFTER = [
    ("I live in Leeds, LS6 2AB.", ["Leeds, LS6 2AB"]),
    ("Lyon 69002 is where we met", ["Lyon 69002"]),
    ("an office in Montréal H2X 1Y4.", ["Montréal H2X 1Y4"]),
    ("Kraków 31-072\n", ["Kraków 31-072"]),
    # years, everyday words, no postcode
    ("Berlin 2024 was a good year.", []),
    ("Paris 3.", []),
    ("Normal 12345.", []),
    ("Release 2.0 SW1A 1AA", []),
]


@pytest.mark.parametrize(("text", "expected"), AFTER)
def test_a_town_before_its_postcode(text: str, expected: list[str]) -> None:
    assert found(TOWN_BEFORE_POSTCODE, text) == expected
