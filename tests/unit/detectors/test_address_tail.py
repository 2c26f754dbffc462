"""ADDRESS_TAIL: the town, region, country and postcode after a street or unit, and a building
number before a European street; prose after an address is left alone."""

import pytest

from detectors.patterns.address_tail import ADDRESS_TAIL
from tests.unit.detectors.conftest import found

CASES = [
    ('send it to 14 Crown Street Suite 321\n LONDON\n United Kingdom 75419? I am in town', None,
     ['14 Crown Street Suite 321\n LONDON\n United Kingdom 75419']),
    ('at 6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677', None,
     ['6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677']),
    ('The letter arrived at 760 Passauer Strasse 33, Cite Guedouala, Tunisia last night.', None,
     ['760 Passauer Strasse 33, Cite Guedouala, Tunisia']),
    ('Offices: 6076 Piroska u. 97.\nPorto Alegre\n, RS\n Brazil 95828', None,
     ['6076 Piroska u. 97.\nPorto Alegre\n, RS\n Brazil 95828']),
    ('5586 Þórunnarstræti 31, Arnsdorf, Germany', None, ['5586 Þórunnarstræti 31, Arnsdorf, Germany']),
    ('P.O. Box 149, Nuuk', None, ['P.O. Box 149, Nuuk']),
    # an anchor alone is reported as is; lower-case prose ends the tail
    ('Suite 464 is on the left', None, ['Suite 464']),
    ('Wall Street Journal reported', None, []),
    ('the unit test passed', None, []),
    ('see page 12 for details', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ADDRESS_TAIL, text, key) == expected
