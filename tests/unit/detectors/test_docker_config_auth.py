"""DOCKER_CONFIG_AUTH: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.docker_config_auth import DOCKER_CONFIG_AUTH
from tests.unit.detectors.conftest import found

CASES = [
    ('.dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5pbnRlcm5hbCI6eyJhdXRoIjoiWTJrNmRHbG5aWEk0T1RFeVJFRmsifX19',
     None, ['eyJhdXRocyI6eyJyZWdpc3RyeS5pbnRlcm5hbCI6eyJhdXRoIjoiWTJrNmRHbG5aWEk0T1RFeVJFRmsifX19']),
    ('eyJhdXRocyI6ZmFsc2V9Cg==', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(DOCKER_CONFIG_AUTH, text, key) == expected
