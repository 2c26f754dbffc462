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
    ('Our office is at Lindgården 37 Milovan Heights\n Suite 615\n OSLO', None,
     ['Lindgården 37 Milovan Heights\n Suite 615']),
    ('I now live in 418 Strada Comunale 19 47 Suite 306', None,
     ['418 Strada Comunale 19 47 Suite 306']),
    ('my address is 517 46 Wren Hollow Apt. 238, Amstetten', None, ['517 46 Wren Hollow Apt. 238']),
    ('it is 261 58 rue de la Paix Apt. 419 PARIS', None, ['261 58 rue de la Paix Apt. 419']),
    ('Please return to 73215 4816 Thornbury Suite 147', None,
     ['73215 4816 Thornbury Suite 147']),
    ('billing address with Rua Augusta 274 Baixa\n Apt. 5', None, ['Rua Augusta 274 Baixa\n Apt. 5']),
    ('- 3187 Via delle Rose 26\n- Apt. 584\n- Borgo di Vione', None,
     ['3187 Via delle Rose 26\n- Apt. 584']),
    # no street name before the number, or no unit after it
    ('it is 18 Apt. 272', None, []),
    ('Tested on 3 suites', None, []),
    ('Hall 4 Booth 12', None, []),
    ('we tested 3 of them, then 4 units', None, []),
    ('Order 5512 shipped, unit 3 of 4', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(STREET_BEFORE_UNIT, text, key) == expected
