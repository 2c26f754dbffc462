"""An address after `lives at` / `address:` / `ship to`: positives and near misses."""

import pytest

from detectors.patterns.address_after_cue import ADDRESS_AFTER_CUE
from tests.unit.detectors.conftest import found

CASES = [
    ('She lives at 12 Nørregade 7, Aarhus C.', None, ['12 Nørregade 7, Aarhus C']),
    ('address: 3817 Koivukuja 12, KANGASALA', None, ['3817 Koivukuja 12, KANGASALA']),
    ('Ship to 221B Baker Street, London and call', None, ['221B Baker Street, London']),
    ('lives at home', None, []),
    ('address: 10.0.0.1', None, []),
    ('ship to 3 regions by Friday', None, []),
    ('the office is at capacity', None, []),
    ('She lives at 512 17 Rue Ibn Khaldoun, Cite El Wafa.', None, ['512 17 Rue Ibn Khaldoun, Cite El Wafa']),
    ('ship to 3 10 regions', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ADDRESS_AFTER_CUE, text, key) == expected
