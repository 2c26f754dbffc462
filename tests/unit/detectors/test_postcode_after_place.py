"""POSTCODE_AFTER_PLACE: a town and its postcode after `in`/`at`/`from`; years and the numbers
of things after a capitalised word are left alone."""

import pytest

from detectors.patterns.postcode_after_place import POSTCODE_AFTER_PLACE
from tests.unit.detectors.conftest import found

CASES = [
    ('We support startups in Vila Nova de Gaia 4400-123 in their growth.', None,
     ['Vila Nova de Gaia 4400-123']),
    ('He works in Aarhus C 8000, mostly remote.', None, ['Aarhus C 8000']),
    ('a parcel from ÅRE 837 52.', None, ['ÅRE 837 52']),
    ('offices in Lyon 69002 and Paris', None, ['Lyon 69002']),
    ('studying in Kraków 31-072', None, ['Kraków 31-072']),
    # years, the numbers of things, numbers no country uses as a postcode
    ('He won gold in London 2012.', None, []),
    ('The meeting is in Room 1421.', None, []),
    ('fixed in Build 20451 and later', None, []),
    ('It shipped in Windows 2000.', None, []),
    ('at Acme 1234567.', None, []),
    ('in stock 15000', None, []),
    ('as defined in Clause 252.227-7013 (c)', None, []),
    ('is explained in BCP 175: Procedure', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(POSTCODE_AFTER_PLACE, text, key) == expected
