"""AWS_ACCESS_KEY_ID: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.aws import AWS_ACCESS_KEY_ID
from tests.unit.detectors.conftest import found

CASES = [
    ('key AKIAIOSFODNN7EXAMPLF', None, ['AKIAIOSFODNN7EXAMPLF']),
    ('AKIA1234', None, []),
    ('akiaiosfodnn7examplf', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(AWS_ACCESS_KEY_ID, text, key) == expected
