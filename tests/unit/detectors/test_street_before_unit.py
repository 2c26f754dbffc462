"""STREET_BEFORE_UNIT: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.street_before_unit import STREET_BEFORE_UNIT
from tests.unit.detectors.conftest import found

CASES = [
    ('Ship to Mäkelänkatu 12 Apt. 4, Helsinki', None, ['Mäkelänkatu 12 Apt. 4']),
    ('deliver to 88 Praceta Kolovrat 7, Suite 210 please', None, ['88 Praceta Kolovrat 7, Suite 210']),
    ('send it to zeleni venac 14 apt. 3b', None, ['zeleni venac 14 apt. 3b']),
    ('Stanislavova 9\n  Suite 12', None, ['Stanislavova 9\n  Suite 12']),
    # words after the house number, the number first, a building number first
    ('Our office is at Storgarden 52 Trajanka Forks\n Suite 894\n OSLO', None,
     ['Storgarden 52 Trajanka Forks\n Suite 894']),
    ('I now live in 633 Strada Provinciale 65 22 Suite 455', None,
     ['633 Strada Provinciale 65 22 Suite 455']),
    ('my address is 903 83 Dora Creek Apt. 176, Scheibbs', None, ['903 83 Dora Creek Apt. 176']),
    ('it is 143 31 rue de la Paix Apt. 087 PARIS', None, ['143 31 rue de la Paix Apt. 087']),
    ('Please return to 94941 2505 Heatherleigh Suite 620', None,
     ['94941 2505 Heatherleigh Suite 620']),
    ('billing address with Rua Augusta 274 Baixa\n Apt. 5', None, ['Rua Augusta 274 Baixa\n Apt. 5']),
    ('- 2274 Via delle Coste 41\n- Apt. 322\n- Colle di Tora', None,
     ['2274 Via delle Coste 41\n- Apt. 322']),
    # no street name before the number, or no unit after it
    ('it is 53 Apt. 641', None, []),
    ('Tested on 3 suites', None, []),
    ('Hall 4 Booth 12', None, []),
    ('we tested 3 of them, then 4 units', None, []),
    ('Order 5512 shipped, unit 3 of 4', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(STREET_BEFORE_UNIT, text, key) == expected
