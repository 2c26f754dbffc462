"""LOCATION after a verb of travel or residence: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.place_cue import PLACE_AFTER_CUE
from tests.unit.detectors.conftest import found

CASES = [
    ('Mr. Pavlović flew to STAXROITH on Monday morning.', None, ['STAXROITH']),
    ('He grew up in Reguengos de Monsaraz.', None, ['Reguengos de Monsaraz']),
    ('We moved here from Tjæreborg', None, ['Tjæreborg']),
    ('a design agency based in NAANTALI.', None, ['NAANTALI']),
    ('studying at the University of Nicosia.', None, ['Nicosia']),
    ('The Princess Royal arrived at Khandallah this morning', None, ['Khandallah']),
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
