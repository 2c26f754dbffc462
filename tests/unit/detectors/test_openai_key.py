"""OPENAI_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.openai import OPENAI_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('sk-proj-Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1 end', None, ['sk-proj-Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1Ab1']),
    ('sk-short', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(OPENAI_KEY, text, key) == expected
