"""Multi-line postal addresses: what is reported (positives) and left alone (near misses)."""

import pytest

from detectors.patterns.address_block import ADDRESS_BLOCK
from tests.unit.detectors.conftest import found

CASES = [
    ('Ship to:\n742 Evergreen Terrace\nSpringfield, OR 97403\nUSA', None,
     ['742 Evergreen Terrace\nSpringfield, OR 97403\nUSA']),
    ('Jane Roe\n\n12 Nørregade 7\n Apt. 4\n AARHUS\n\n Denmark 8000', None,
     ['12 Nørregade 7\n Apt. 4\n AARHUS\n\n Denmark 8000']),
    ('> Hauptstraße 5\n> Suite 12\n> Berlin', None, ['Hauptstraße 5\n> Suite 12\n> Berlin']),
    ('Step 1\nBuild 12345\nDone', None, []),
    ('>4126 358 Birchwood Lane\n>Suite 217\n>Port Tawhiri', None,
     ['4126 358 Birchwood Lane\n>Suite 217\n>Port Tawhiri']),
    ('Step 1 2\nBuild 12345\nDone', None, []),
    ('12 Workers\nDone 2024', None, []),
    ('worker 12\nOK 2000', None, []),
    ('Error 404\nNot Found', None, []),
    ('retry 3 of 5\nstatus=failed code=12345', None, []),
    ('Unit 12 passed\nsee log', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ADDRESS_BLOCK, text, key) == expected
