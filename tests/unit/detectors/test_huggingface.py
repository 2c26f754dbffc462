"""HUGGINGFACE_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.huggingface import HUGGINGFACE_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('HF_TOKEN=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', None, ['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']),
    ('hf_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(HUGGINGFACE_TOKEN, text, key) == expected
