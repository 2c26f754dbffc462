"""Towns told by where they are written: above a country in an address block, after `Where:`,
before a postcode. What each reports, and what it must leave alone."""

import pytest

from detectors.patterns.town import PLACE_BEFORE_POSTCODE, TOWN_ABOVE_COUNTRY, WHERE_FIELD
from tests.unit.detectors.conftest import found

ABOVE_COUNTRY = [
    ("Ul. Długa 4\nTarnów\nPoland 33-100", ["Tarnów"]),
    ("> Dolní Věstonice\n> Czech Republic 691 29", ["Dolní Věstonice"]),
    ("Hameln (Weser)\nGERMANY", ["Hameln (Weser)"]),
    ("  santa maria a vico\n  italy 81028", ["santa maria a vico"]),
    ("Sales Team\nGermany", []),
    ("Head Office\nFrance", []),
    ("Thanks for the help\nPortugal", []),
    ("Tarnów, Poland", []),
]

WHERE = [
    ("When: Friday 10:00\nWhere: Kuusamo Country Club.", ["Kuusamo"]),
    ("where: Bad Kleinkirchheim", ["Bad Kleinkirchheim"]),
    ("Where: Zoom", []),
    ("Where: online", []),
    ("Where: https://meet.example/abc", []),
    ("Where do we stand?", []),
]

BEFORE_POSTCODE = [
    ("our office in Kleinbettingen 8380 is open", ["Kleinbettingen 8380"]),
    ("based in Quinta do Anjo 2950-001.", ["Quinta do Anjo 2950-001"]),
    ("a depot near Vällingby 162 65, by the lake", ["Vällingby 162 65"]),
    ("it runs in Windows 2000", []),
    ("meet in Room 101", []),
    ("the division is in IEEE 754 double precision", []),
    ("see Chapter 11 in March 2024", []),
]


@pytest.mark.parametrize(("text", "expected"), ABOVE_COUNTRY)
def test_the_town_above_a_country(text: str, expected: list[str]) -> None:
    assert found(TOWN_ABOVE_COUNTRY, text) == expected


@pytest.mark.parametrize(("text", "expected"), WHERE)
def test_the_place_of_a_where_line(text: str, expected: list[str]) -> None:
    assert found(WHERE_FIELD, text) == expected


@pytest.mark.parametrize(("text", "expected"), BEFORE_POSTCODE)
def test_a_place_before_its_postcode(text: str, expected: list[str]) -> None:
    assert found(PLACE_BEFORE_POSTCODE, text) == expected
