"""OKTA_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.okta import OKTA_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('OKTA_API_TOKEN=00q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yP', None, ['00q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yP']),
    ('okta org: dev-123', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(OKTA_TOKEN, text, key) == expected
