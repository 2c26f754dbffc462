"""ATLASSIAN_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.atlassian import ATLASSIAN_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('JIRA_API_TOKEN=ATATT3xFfGF0q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1y=A1B2C3D4', None, ['ATATT3xFfGF0q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1y=A1B2C3D4']),
    ('confluence_token: q8Zr2LmX0vT7nB4kW1yPa3Dk', None, ['q8Zr2LmX0vT7nB4kW1yPa3Dk']),
    ('jira issue: ABCDEFGHIJKLMNOPQRSTUVWX', None, []),
    ('ATATT3 is a prefix', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ATLASSIAN_TOKEN, text, key) == expected
