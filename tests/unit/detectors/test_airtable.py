"""AIRTABLE_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.airtable import AIRTABLE_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('AIRTABLE_TOKEN=patq8Zr2LmX0vT7nB.0a1b2c3d4e5f60710a1b2c3d4e5f60710a1b2c3d4e5f60710a1b2c3d4e5f6071', None, ['patq8Zr2LmX0vT7nB.0a1b2c3d4e5f60710a1b2c3d4e5f60710a1b2c3d4e5f60710a1b2c3d4e5f6071']),
    ('pattern.match', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(AIRTABLE_TOKEN, text, key) == expected
