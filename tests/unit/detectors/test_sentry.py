"""SENTRY_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.sentry import SENTRY_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('SENTRY_AUTH_TOKEN=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', None, ['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']),
    ('sntryu_00', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SENTRY_TOKEN, text, key) == expected
