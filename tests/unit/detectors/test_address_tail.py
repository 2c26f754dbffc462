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
    # a street with its house number last, after a building number, when a place follows
    ('Please return to 3301 Hlavní 1540\nPardubice\n, PA\n Czechia 53002 in case of an issue.',
     None, ['3301 Hlavní 1540\nPardubice\n, PA\n Czechia 53002']),
    ('• 4410 Søndervang 12\n• Suite 31\n• Odense\n• Denmark 5000', None,
     ['4410 Søndervang 12\n• Suite 31\n• Odense\n• Denmark 5000']),
    ("We'll meet at Café Nero, 17 Karlova 42, Praha nad Vltavou", None,
     ['17 Karlova 42, Praha nad Vltavou']),
    ('Take a taxi to 6889 ul. Jarzębinowa 5\nBUNDALAGUAH\n, VIC\n Australia 3083. Call me.', None,
     ['6889 ul. Jarzębinowa 5\nBUNDALAGUAH\n, VIC\n Australia 3083']),
    ('Return to 56539 Rua Cyro Schmutzer Franco 1213\nGRASSE, PA 39551 in case of an issue', None,
     ['56539 Rua Cyro Schmutzer Franco 1213\nGRASSE, PA 39551']),
    # towns and countries in other scripts, a country's qualifier in brackets
    ('Λεωφόρος Κηφισίας 12 Apt. 7\n ΑΓΙΟΣ ∆ΟΜΕΤΙΟΣ\n Cyprus (Greek) 2107', None,
     ['12 Apt. 7\n ΑΓΙΟΣ ∆ΟΜΕΤΙΟΣ\n Cyprus (Greek) 2107']),
    ('11 Main Road Suite 4 Apt. 9, Villanueva de la Serena, Spain 06700', None,
     ['11 Main Road Suite 4 Apt. 9, Villanueva de la Serena, Spain 06700']),
    # numbers in prose or logs are not streets
    ('Step 2 of 5\nDone', None, []),
    ('took over on 17 Oct 1999.\n  Since September 2002 it has', None, []),
    ('X-Mailer: Notes 23 November 1999\n Subject: license', None, []),
    ('processed 12 Items 40\nretrying later', None, []),
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
