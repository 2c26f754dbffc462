"""AWS_SECRET_ACCESS_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.aws import AWS_SECRET_ACCESS_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzK1b2c3d4Q', None, ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYzK1b2c3d4Q']),
    ('aws_secret_access_key = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(AWS_SECRET_ACCESS_KEY, text, key) == expected
