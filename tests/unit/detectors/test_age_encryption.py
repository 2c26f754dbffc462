"""AGE_SECRET_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.age_encryption import AGE_SECRET_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('AGE-SECRET-KEY-1QQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHC', None, ['AGE-SECRET-KEY-1QQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHC']),
    ('AGE-SECRET-KEY-1 is the prefix', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(AGE_SECRET_KEY, text, key) == expected
