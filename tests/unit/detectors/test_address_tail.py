"""ADDRESS_TAIL: the town, region, country and postcode after a street or unit, and a building
number before a European street; prose after an address is left alone."""

import pytest

from detectors.patterns.address_tail import ADDRESS_TAIL
from tests.unit.detectors.conftest import found

CASES = [
    # street types that end everyday words (`-ring`, `-gate`): no street, so no tail
    ('after considering 01 options', None, []),
    ('storing 32 rows, comparing 2 of them', None, []),
    ('Main Gate 12\nLeeds', None, []),
    ('Kongens gate 12\nOslo\nNorway', None, ['Kongens gate 12\nOslo\nNorway']),
    ('send it to 27 Ferris Street Suite 508\n LEEDS\n United Kingdom 40812? I am in town', None,
     ['27 Ferris Street Suite 508\n LEEDS\n United Kingdom 40812']),
    ('at 4183 Pihlajakatu 9 Apt. 217\nTarariras\n, CO\n Uruguay 70214', None,
     ['4183 Pihlajakatu 9 Apt. 217\nTarariras\n, CO\n Uruguay 70214']),
    ('We posted it to 418 Lindauer Strasse 12, Cite Ennasr, Tunisia last night.', None,
     ['418 Lindauer Strasse 12, Cite Ennasr, Tunisia']),
    ('Offices: 3159 Rozália u. 14.\nPasso Fundo\n, RS\n Brazil 71406', None,
     ['3159 Rozália u. 14.\nPasso Fundo\n, RS\n Brazil 71406']),
    ('7241 Ásgerðarstræti 12, Lindenfels, Germany', None,
     ['7241 Ásgerðarstræti 12, Lindenfels, Germany']),
    ('P.O. Box 372, Ilulissat', None, ['P.O. Box 372, Ilulissat']),
    # a street with its house number last, after a building number, when a place follows
    ('Please return to 3301 Hlavní 1540\nPardubice\n, PA\n Czechia 53002 in case of an issue.',
     None, ['3301 Hlavní 1540\nPardubice\n, PA\n Czechia 53002']),
    ('• 4410 Søndervang 12\n• Suite 31\n• Odense\n• Denmark 5000', None,
     ['4410 Søndervang 12\n• Suite 31\n• Odense\n• Denmark 5000']),
    ("We'll meet at Café Nero, 17 Karlova 42, Praha nad Vltavou", None,
     ['17 Karlova 42, Praha nad Vltavou']),
    ('Take a taxi to 5127 ul. Słonecznikowa 8\nWARRAGUL\n, VIC\n Australia 3820. Call me.', None,
     ['5127 ul. Słonecznikowa 8\nWARRAGUL\n, VIC\n Australia 3820']),
    ('Return to 48217 Rua Almirante Barroso Lima 872\nVERNON, PA 27164 in case of an issue', None,
     ['48217 Rua Almirante Barroso Lima 872\nVERNON, PA 27164']),
    # towns and countries in other scripts, a country's qualifier in brackets
    ('Λεωφόρος Κηφισίας 12 Apt. 7\n ΠΑΝΩ ∆ΕΥΤΕΡΑ\n Cyprus (Republic) 2571', None,
     ['12 Apt. 7\n ΠΑΝΩ ∆ΕΥΤΕΡΑ\n Cyprus (Republic) 2571']),
    ('11 Main Road Suite 4 Apt. 9, Villanueva de la Serena, Spain 06700', None,
     ['11 Main Road Suite 4 Apt. 9, Villanueva de la Serena, Spain 06700']),
    # numbers in prose or logs are not streets
    ('Step 2 of 5\nDone', None, []),
    ('took over on 17 Oct 1999.\n  Since September 2002 it has', None, []),
    ('X-Mailer: Notes 23 November 1999\n Subject: license', None, []),
    ('processed 12 Items 40\nretrying later', None, []),
    # an anchor alone is reported as is; lower-case prose ends the tail
    ('Suite 902 is on the left', None, ['Suite 902']),
    ('Wall Street Journal reported', None, []),
    ('the unit test passed', None, []),
    ('see page 12 for details', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ADDRESS_TAIL, text, key) == expected
