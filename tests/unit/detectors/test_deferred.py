"""Weak pattern findings yield to the model only where it found an entity of another type."""

from detectors.finding import Finding
from detectors.spans import deferred

WEAK = frozenset({"person-surname-name"})
FULL_NAME = Finding(entity="PERSON", path="$", start=0, end=11, score=0.55,
                    detector="person-surname-name")


def test_a_full_name_stays_whole_where_the_model_found_part_of_it() -> None:
    surname = Finding(entity="PERSON", path="$", start=5, end=11, score=0.85,
                      detector="spacy-person")
    assert deferred([FULL_NAME], [surname], WEAK) == [FULL_NAME]


def test_a_weak_finding_yields_where_the_model_found_another_type() -> None:
    place = Finding(entity="LOCATION", path="$", start=0, end=11, score=0.85,
                    detector="spacy-gpe")
    assert deferred([FULL_NAME], [place], WEAK) == []
