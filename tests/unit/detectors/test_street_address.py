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
    # street types that end everyday words (`-ring`, `-gate`, `-tie`): a street's name is not one
    ('after considering 01 options', None, []),
    ('Bring 3 chairs and the string 2 of them', None, []),
    ('boarding gate 12 opens at noon; tie 5 knots', None, []),
    ('during 2 weeks in spring 2024', None, []),
    ('Nordring 12', None, ['Nordring 12']),
    ('skogveien 8', None, ['skogveien 8']),
    ('Mühlenweg 3', None, ['Mühlenweg 3']),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(STREET_ADDRESS, text, key) == expected
