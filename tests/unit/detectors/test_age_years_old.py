"""AGE_YEARS_OLD: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.age import AGE_YEARS_OLD
from tests.unit.detectors.conftest import found

CASES = [
    ('He is 78 years old', None, ['78']),
    ('a 30-year-old nurse', None, ['30']),
    ('30 years ago', None, []),
    ("originally from Vrhpolje, and i'm 41 y/o.", None, ['41']),
    ('route 66 y/n', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(AGE_YEARS_OLD, text, key) == expected
