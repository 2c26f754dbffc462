"""STREET_ADDRESS: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.street_address import STREET_ADDRESS
from tests.unit.detectors.conftest import found

CASES = [
    ('lives at 57 Hollis Avenue now', None, ['57 Hollis Avenue']),
    ('Østerbakkevej 14', None, ['Østerbakkevej 14']),
    ('Rue de la Paix 12', None, ['Rue de la Paix 12']),
    ('I have 3 dogs', None, []),
    ('Windows 10', None, []),
    ('Dinner is at 30418 1762 Ferris St', None, ['30418 1762 Ferris St']),
    ('took 10 12 hours', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(STREET_ADDRESS, text, key) == expected
