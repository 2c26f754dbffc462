"""SENDGRID_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.sendgrid import SENDGRID_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('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', None, ['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']),
    ('SG.short', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SENDGRID_KEY, text, key) == expected
