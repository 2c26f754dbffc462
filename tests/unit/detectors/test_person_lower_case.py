"""PERSON in all-lower-case text: what it reports (positives) and what it must leave alone."""

import pytest

from detectors.patterns.person_lower import PERSON_LOWER_CASE
from tests.unit.detectors.conftest import found

CASES = [
    # a known given name and a known surname, a foreign surname or a middle initial
    ("please call back theodora hutchins tomorrow", ["theodora hutchins"]),
    ("ticket opened by wilhelmina jørstad at noon", ["wilhelmina jørstad"]),
    ("escalate to tamsin r whitcombe asap", ["tamsin r whitcombe"]),
    ("the odalys q. brennan account", ["odalys q. brennan"]),
    ("refund for magdalena ostrowska's order", ["magdalena ostrowska"]),
    # a name after a cue, known or not
    ("hello, my name is ignatius and my card was charged twice", ["ignatius"]),
    ("name:   yevgenia p. lukashenko\nphone: see below", ["yevgenia p. lukashenko"]),
    ("people just call me zebulon", ["zebulon"]),
    ("dear mr. pettigrew, your parcel is late", ["pettigrew"]),
    ("my name is grace and i need help", ["grace"]),
    # a known given name alone, and lists of them
    ("is rosalind coming to the meeting?", ["rosalind"]),
    ("we invited 4: ophelia, cornelius, bartholomew and winifred.",
     ["ophelia", "cornelius", "bartholomew", "winifred"]),
    ("gideon, lavinia & percival", ["gideon", "lavinia", "percival"]),
    # everyday words that are also names, and text that is not lower case
    ("please grant access to the will of the deceased", []),
    ("i paid the bill and signed the form", []),
    ("apples, oranges and pears", []),
    ("my name is not important", []),
    ("dear sir or madam", []),
    ("this is grace, a short period after the due date", []),
    ("hope, faith and charity", []),
    ("Please call back Theodora Hutchins tomorrow", []),
    ("status: ok, retries: 3, region: us-east", []),
    # words of code, paths, URLs and command lines
    ("see http://rosalind.example/docs and dgit/sid", []),
    ("deb http://mirror.example stable main", []),
    ("token create --reviewer rosalind --groups ops", []),
    ("name: customer-care", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_reports_exactly_the_names(text: str, expected: list[str]) -> None:
    assert found(PERSON_LOWER_CASE, text) == expected
