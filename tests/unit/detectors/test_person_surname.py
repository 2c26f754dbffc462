"""PERSON from a known surname: full names ending in one (or written in letters beyond
English), and a surname alone mid-sentence; places, brands and everyday words left alone."""

import pytest

from detectors.patterns.person_surname import LONE_SURNAME, SURNAME_NAME
from tests.unit.detectors.conftest import found

NAME_CASES = [
    ("approved by Radomir Kowalczyk yesterday", ["Radomir Kowalczyk"]),
    ("the Thorvald Jablonski's account", ["Thorvald Jablonski"]),
    ("forwarded to Jolanta Wiśniewska", ["Jolanta Wiśniewska"]),
    ("Entertainment Weekly listed it", []),
    ("Grant Thornton audited it", []),
    ("shipped from Papua New Guinea", []),
    ("Deploy Kafka Streams now", []),
    ("ACME HOLDINGS KOWALCZYK", []),
    ("Hi, I'm Kowalczyk from support", []),
]

LONE_CASES = [
    ("the report, says Kowalczyk.", ["Kowalczyk"]),
    ("a film directed by Jablonski and starring no one", ["Jablonski"]),
    ("ask Kowalczyk's team", ["Kowalczyk"]),
    ("starts the KRaft broker", []),
    ("exposed to Apache in the config", []),
    ("paid with Visa today", []),
    ("we drove to Paris yesterday", []),
    ("Kowalczyk Consulting signed", []),
    # Finnish, Swedish, Azerbaijani and Japanese surnames (surnames_intl.txt)
    ("the quarterly plan, says Ahvenainen.", ["Ahvenainen"]),
    ("reviewed by Ahlqvist and approved", ["Ahlqvist"]),
    ("a letter signed by Agayev today", ["Agayev"]),
    ("the novel by Akamatsu is long", ["Akamatsu"]),
    ("talk to Green about it", []),
]


@pytest.mark.parametrize(("text", "expected"), NAME_CASES)
def test_full_names_ending_in_a_surname(text: str, expected: list[str]) -> None:
    assert found(SURNAME_NAME, text) == expected


@pytest.mark.parametrize(("text", "expected"), LONE_CASES)
def test_a_surname_alone(text: str, expected: list[str]) -> None:
    assert found(LONE_SURNAME, text) == expected
