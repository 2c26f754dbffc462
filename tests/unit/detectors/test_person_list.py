"""PERSON from a list of names: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.person_list import PERSON_LIST
from tests.unit.detectors.conftest import found

CASES = [
    ('our 3 founders: Sandvik, Michael and Tolliver.', None, ['Sandvik', 'Michael', 'Tolliver']),
    ('They had 3: Zlatomira, Mary, and Juliana.', None, ['Zlatomira', 'Mary', 'Juliana']),
    ('Anna & Hodge signed it', None, ['Anna', 'Hodge']),
    ('Kowalczyk, Jablonski and Castellanos met', None, ['Kowalczyk', 'Jablonski', 'Castellanos']),
    ('Lövgren and Castellanos were engineers', None, ['Lövgren', 'Castellanos']),
    ('Zubrowka and Castellanos were engineers', None, []),
    ('Ford, Toyota and Honda', None, []),
    ('Paris, Berlin and Madrid', None, []),
    ('Black, White and Green', None, []),
    ('Accept, Content-Type and Authorization', None, []),
    ('Michael and Support will call', None, []),
    ('Sales and Marketing', None, []),
    ('JOHN and MARY', None, []),
    ('anna, mary and hodge', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PERSON_LIST, text, key) == expected
