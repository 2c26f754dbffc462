"""ANTHROPIC_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.anthropic import ANTHROPIC_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('sk-ant-api03-x1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1YAA', None, ['sk-ant-api03-x1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1Yx1YAA']),
    ('sk-ant-api03-short', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ANTHROPIC_KEY, text, key) == expected
