"""DOCKER_HUB_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.docker_hub import DOCKER_HUB_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('docker login -u ci -p dckr_pat_q8Zr2LmX0vT7nB4kW1yPq8Zr2Lm', None, ['dckr_pat_q8Zr2LmX0vT7nB4kW1yPq8Zr2Lm']),
    ('dckr_pat_x', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(DOCKER_HUB_TOKEN, text, key) == expected
