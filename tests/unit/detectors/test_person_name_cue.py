"""PERSON after a strong cue (my name is, Dear, Mr.): what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.person_cue import PERSON_AFTER_NAME_CUE
from tests.unit.detectors.conftest import found

CASES = [
    ('My name is Zumreta', None, ['Zumreta']),
    ('Dear Sigurður, thanks', None, ['Sigurður']),
    ('Mr. Kovačević flew home', None, ['Kovačević']),
    ('Customer name: Lene T Frandsen', None, ['Lene T Frandsen']),
    ('my name is not important', None, []),
    ('Name: The Account', None, []),
    ('name: 12345', None, []),
    ('Her maiden name is Søgaard', None, ['Søgaard']),
    ("Can I have your last name? Kjeldgaard", None, ['Kjeldgaard']),
    ('surname: Holmgaard', None, ['Holmgaard']),
    ('the last name is required', None, []),
    ('surname? none given', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PERSON_AFTER_NAME_CUE, text, key) == expected
