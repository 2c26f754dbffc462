"""GITHUB_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.github import GITHUB_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('token ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 ok', None, ['ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8']),
    ('ghp_short', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(GITHUB_TOKEN, text, key) == expected
