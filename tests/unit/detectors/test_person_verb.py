"""PERSON from what follows a name at a sentence's start (issue 14: names no list holds):
what it reports, and what it must leave alone."""

import pytest

from detectors.patterns.person_verb import PERSON_BEFORE_VERB
from tests.unit.detectors.conftest import found

CASES = [
    ("Zorvathi began writing as a teenager, then stopped.", ["Zorvathi"]),
    ("Quelmira Dostrani lives on Tarn Road 4.", ["Quelmira Dostrani"]),
    ("Brivelka, can I please speak to your manager?", ["Brivelka"]),
    ("Done. Ulvatra told me twice.", ["Ulvatra"]),
    ("Orvenne will be presenting at noon", ["Orvenne"]),
    ("Halvrik had given Halvrik his address", ["Halvrik"]),
    ("> Tessaline is my colleague", ["Tessaline"]),
    # not a person: everyday words, places, peoples, brands, software
    ("Security lives on in the code.", []),
    ("Lisbon was born from the sea.", []),
    ("Danes told me so.", []),
    ("Apache told me so.", []),
    ("Postgres is very reliable.", []),
    ("The service replied with 503.", []),
    ("Kubernetes restarted the pod.", []),
    ("the report says Zorvathi began writing", []),   # not a sentence's start
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_a_name_before_a_verb_only_people_are_the_subject_of(text: str,
                                                             expected: list[str]) -> None:
    assert found(PERSON_BEFORE_VERB, text) == expected
