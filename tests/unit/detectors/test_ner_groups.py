"""NRP from the model: groups of people, not everyday words the small model takes for one."""

import pytest
from spacy.language import Language

from detectors.ner import NerDetector
from detectors.walker import Leaf

CASES = [
    ("Pedestrians may cross at Elm Row", []),
    ("Buddhists and Hindus met", ["Buddhists", "Hindus"]),
    ("Democrats won", ["Democrats"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_groups_of_people(nlp: Language, text: str, expected: list[str]) -> None:
    findings = NerDetector(nlp).find_batch([Leaf("$", None, text)])[0]
    assert [text[f.start:f.end] for f in findings if f.entity == "NRP"] == expected
