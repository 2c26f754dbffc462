"""PULUMI_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.pulumi import PULUMI_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('PULUMI_ACCESS_TOKEN=pul-0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d', None, ['pul-0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d']),
    ('pul-request', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PULUMI_TOKEN, text, key) == expected
