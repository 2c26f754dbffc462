"""DATABRICKS_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.databricks import DATABRICKS_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('DATABRICKS_TOKEN=dapi0123456789abcdef0123456789abcdef-2', None, ['dapi0123456789abcdef0123456789abcdef-2']),
    ('token: dose9f8e7d6c5b4a39281706f5e4d3c2b1a0', None, ['dose9f8e7d6c5b4a39281706f5e4d3c2b1a0']),
    ('dapi is the name', None, []),
    ('dapi0123', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(DATABRICKS_TOKEN, text, key) == expected
