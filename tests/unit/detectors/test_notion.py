"""NOTION_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.notion import NOTION_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('NOTION_TOKEN=ntn_12345678901q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4', None, ['ntn_12345678901q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4']),
    ('secret_sauce', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(NOTION_TOKEN, text, key) == expected
