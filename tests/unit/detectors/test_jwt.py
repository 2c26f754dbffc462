"""JWT: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.jwt import JWT
from tests.unit.detectors.conftest import found

CASES = [
    ('Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', None, ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U']),
    ('eyJub3RqdCI6MX0.eyJzdWIiOjF9.abcdefghijkl', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(JWT, text, key) == expected
