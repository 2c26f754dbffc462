"""STREET_CORNER: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.street_corner import STREET_CORNER
from tests.unit.detectors.conftest import found

CASES = [
    ('Meet me at the corner of Hauptstraße 4 and Lindenweg.', None,
     ['Hauptstraße 4 and Lindenweg']),
    ('the bakery on the corner of 5th Avenue and Pine Street in town', None,
     ['5th Avenue and Pine Street']),
    ('stop at the corner of Calle Mayor and Rúa Nova\nthanks', None, ['Calle Mayor and Rúa Nova']),
    # not two streets
    ('the corner of the room and the door', None, []),
    ('a corner of the dashboard', None, []),
    ('cut a corner of cost and time', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(STREET_CORNER, text, key) == expected
