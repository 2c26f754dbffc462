"""A full name found once in a leaf is found again where its words are repeated there."""

import pytest

from detectors import DetectorEngine
from detectors.finding import Finding
from detectors.person_echo import echoed_names


def _person(text: str, name: str, detector: str = "person-full-name") -> Finding:
    start = text.index(name)
    return Finding(entity="PERSON", path="$", start=start, end=start + len(name), score=0.7,
                   detector=detector)


CASES = [
    # (text, the name found, the detector that found it, the repeats expected)
    ("directed by Radomir Kowalczyk and starring Kowalczyk", "Radomir Kowalczyk",
     "person-full-name", ["Kowalczyk"]),
    ("I'm Theodora Hutchins, but everyone calls me Theodora.", "Theodora Hutchins",
     "person-name-cue", ["Theodora"]),
    ("my name is zinaida morozova, call zinaida back", "zinaida morozova",
     "person-lower-case", ["zinaida"]),
    ("Radomir Kowalczyk wrote it; kowalczyk is lower case here", "Radomir Kowalczyk",
     "person-full-name", []),
    ("ask Grace Kowalczyk about the grace period", "Grace Kowalczyk", "person-full-name", []),
    ("Debian Tcl/Tk packages: Tcl is here", "Debian Tcl", "spacy-person", []),
    ("Sigmund Kowalczyk met Kowalczyk", "Sigmund Kowalczyk", "spacy-person", ["Kowalczyk"]),
    ("Tcl said hi to Tcl", "Tcl", "spacy-person", []),
]


@pytest.mark.parametrize(("text", "name", "detector", "expected"), CASES)
def test_repeats_of_a_found_name(text: str, name: str, detector: str,
                                 expected: list[str]) -> None:
    found = echoed_names(text, "$", [_person(text, name, detector)])
    assert [text[f.start:f.end] for f in found] == expected


def test_the_engine_reports_the_repeat_of_a_name_it_found() -> None:
    engine = DetectorEngine(entities={"PERSON"}, ner_model=None)
    text = "Radomir Kowalczyk directed the film. Kowalczyk also starred in it."
    values = {text[f.start:f.end] for f in engine.scan({"review": text})}
    assert {"Radomir Kowalczyk", "Kowalczyk"} <= values

