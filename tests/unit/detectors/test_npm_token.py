"""NPM_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.npm import NPM_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('//registry.npmjs.org/:_authToken=npm_aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3', None, ['npm_aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3']),
    ('npm_install', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(NPM_TOKEN, text, key) == expected
