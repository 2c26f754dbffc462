"""STREET_CORNER: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.street_corner import STREET_CORNER
from tests.unit.detectors.conftest import found

CASES = [
    ('Meet me at the corner of Hauptstraße 4 and Lindenweg.', None,
     ['corner of Hauptstraße 4 and Lindenweg']),
    ('the bakery on the corner of 5th Avenue and Pine Street in town', None,
     ['corner of 5th Avenue and Pine Street']),
    ('stop at the corner of Calle Mayor and Rúa Nova\nthanks', None,
     ['corner of Calle Mayor and Rúa Nova']),
    # an abbreviated street type's dot does not end the clause
    ('Drop me at the corner of 12 Ermou Str. and Athinas Ave. please.', None,
     ['corner of 12 Ermou Str. and Athinas Ave']),
    ('on the corner of Keizersgracht 12 St. and Leidsestraat.', None,
     ['corner of Keizersgracht 12 St. and Leidsestraat']),
    ('meet at the corner of rue de rivoli 14 and rue du louvre', None,
     ['corner of rue de rivoli 14 and rue du louvre']),
    ('the corner of Gödöllői kapu 27. and Florian Ridge', None,
     ['corner of Gödöllői kapu 27. and Florian Ridge']),
    # not two streets
    ('the corner of the room and the door', None, []),
    ('a corner of the dashboard', None, []),
    ('cut a corner of cost and time', None, []),
    ('the corner of the map. And then we left', None, []),
    ('a corner of Europe. And Asia too', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(STREET_CORNER, text, key) == expected
