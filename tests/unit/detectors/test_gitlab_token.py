"""GITLAB_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.gitlab import GITLAB_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('GITLAB_TOKEN=glpat-x9Yz8Wv7Ut6Sr5Qp4On3', None, ['glpat-x9Yz8Wv7Ut6Sr5Qp4On3']),
    ('glpat-short', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(GITLAB_TOKEN, text, key) == expected
