"""BASIC_AUTH_OPTION: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.basic_auth_option import BASIC_AUTH_OPTION
from tests.unit.detectors.conftest import found

CASES = [
    ("curl --user ops:'Tq7vB2m9Xw4k' https://api.example.com", None, ["Tq7vB2m9Xw4k"]),
    ('curl -X POST -u "{3f1c9a7e-0b2d}":"{Rk8zL2vQ9m}" https://h', None, ["Rk8zL2vQ9m"]),
    ("curl https://api.example.com/token \\\n  --user app:Zq9rT4wY7u", None, ["Zq9rT4wY7u"]),
    ('curl -u admin:Summer1164? https://ci.internal/api/json', None, ['Summer1164?']),
    ('curl --user deploy:monkey217okVM -X POST https://nexus.internal', None, ['monkey217okVM']),
    ("curl -s -u 'svc:q8Zr2LmX0vT7' https://api", None, ['q8Zr2LmX0vT7']),
    ('curl -u "$CI_USER:$CI_PASSWORD" https://ci.internal/api/json', None, []),
    ('curl -u admin https://ci.internal  # prompts', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(BASIC_AUTH_OPTION, text, key) == expected
