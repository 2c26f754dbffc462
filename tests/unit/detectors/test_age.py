"""AGE: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.age import AGE
from tests.unit.detectors.conftest import found

CASES = [
    ('I just turned 58', None, ['58']),
    ('at the age of 81', None, ['81']),
    ('she was 65.', None, ['65']),
    ('turned 5 minutes late', None, []),
    ('aged 300', None, []),
    ("Cake on Friday! I'll turn 37.", None, ['37']),
    ('she is about to turn 40 next month', None, ['40']),
    ('the arm will turn 90 degrees', None, []),
    ('I want to turn 3 pages', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(AGE, text, key) == expected
