"""DOCKERFILE_ENV: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.dockerfile_env import DOCKERFILE_ENV
from tests.unit.detectors.conftest import found

CASES = [
    ('ENV MYSQL_ROOT_PASSWORD garden-tiger-velvet24', None, ['garden-tiger-velvet24']),
    ('ARG NPM_TOKEN q8Zr2LmX0vT7nB4kW1yP', None, ['q8Zr2LmX0vT7nB4kW1yP']),
    ('ENV APP_PORT 8080', None, []),
    ('ARG DB_PASSWORD', None, []),
    ('ENV DB_PASSWORD ${DB_PASSWORD}', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(DOCKERFILE_ENV, text, key) == expected
