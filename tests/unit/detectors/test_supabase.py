"""SUPABASE_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.supabase import SUPABASE_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('SUPABASE_ACCESS_TOKEN=sbp_0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d', None, ['sbp_0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d']),
    ('sbp_1234', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SUPABASE_TOKEN, text, key) == expected
