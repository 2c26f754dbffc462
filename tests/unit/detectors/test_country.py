"""LOCATION from a country's name: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.country import COUNTRY
from tests.unit.detectors.conftest import found

CASES = [
    ('I work in United Kingdom.', None, ['United Kingdom']),
    ('Maribor\nSlovenia 82709', None, ['Slovenia']),
    ('ship to SWITZERLAND', None, ['SWITZERLAND']),
    ("my grandparents came from switzerland", None, ['switzerland']),
    ('Czech  Republic 56655', None, ['Czech  Republic']),
    ('a turkey sandwich from china', None, []),
    ('region=chinaeast', None, []),
    ('see canada.example.com', None, []),
    ('FranceTelecom', None, []),
    ('TuNiSiA', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(COUNTRY, text, key) == expected
