"""Relabelling: a model entity that reads as a person's name is PERSON, others keep their label."""

import pytest

from detectors.person_relabel import reads_as_person

CASES = [
    ('Ingrid Lövgren', 'Please ask ', True),
    ('Clodomiro Barrientos', 'a concert by ', True),
    ('Rustem B Kozhevin', 'to a ', True),
    ('Labrie', 'see Mrs. ', True),
    ('Grant Thornton LLP', 'audited by ', False),
    ('Allstate Insurance Group', 'worked at ', False),
    ('Entertainment', 'for ', False),
    ('Acme', 'Dr. ', True),
]


@pytest.mark.parametrize(("text", "before", "expected"), CASES)
def test_only_names_are_relabelled(text: str, before: str, expected: bool) -> None:
    assert reads_as_person(text, before) is expected
