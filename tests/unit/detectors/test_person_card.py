"""PERSON at the top of a contact card or signature block; headings and teams left alone."""

import pytest

from detectors.patterns.person_card import PERSON_CARD
from tests.unit.detectors.conftest import found

CASES = [
    ("Theodora Hutchins\nSenior Payroll Analyst\nAcme Logistics", ["Theodora Hutchins"]),
    ("tamsin r whitcombe\nlabor relations director", ["tamsin r whitcombe"]),
    ("> Radomir Kowalczyk\n> Kowalczyk & Sons\n> 14 Birch Lane", ["Radomir Kowalczyk"]),
    ("Maike van der Berg\nEmployment manager", ["Maike van der Berg"]),
    ("Ottilie Brannigan\n\nPhone: +44 20 7946 0000", ["Ottilie Brannigan"]),
    ("Customer Support\nAcme Inc\n14 Birch Lane", []),
    ("Order Summary\n\nPhone: 555 0100", []),
    ("Hello there\nPhone: 555 0100", []),
    ("Papua New Guinea\nUnit 4, 12 Quay Street", []),
    ("Theodora Hutchins wrote the report", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_the_name_on_top_of_a_card(text: str, expected: list[str]) -> None:
    assert found(PERSON_CARD, text) == expected
