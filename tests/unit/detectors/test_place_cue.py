"""LOCATION after a verb of travel or residence: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.place_cue import PLACE_AFTER_CUE
from tests.unit.detectors.conftest import found

CASES = [
    ('Mr. Kovačević flew to KNARSWOLD on Monday morning.', None, ['KNARSWOLD']),
    ('He grew up in Fontelas de Baixo.', None, ['Fontelas de Baixo']),
    ('We moved here from Skærbæk', None, ['Skærbæk']),
    ('a bakery based in HAMINA.', None, ['HAMINA']),
    ('studying at the University of Nicosia.', None, ['Nicosia']),
    ('Our courier arrived at Wadestown before noon', None, ['Wadestown']),
    ('Message moved to Trash', None, []),
    ('the job returned to PENDING state', None, []),
    ('she was born in March', None, []),
    ('based in the Bank of Ireland building', None, []),
    ('lives in Building 4', None, []),
    ('flew to the coast', None, []),
    ('flew to /var/log', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PLACE_AFTER_CUE, text, key) == expected
