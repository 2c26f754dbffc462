"""PASSWORD_ASSIGNMENT: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.password_assignment import PASSWORD_ASSIGNMENT
from tests.unit.detectors.conftest import found

CASES = [
    ('login ok password=Xk9#mQ2$vL7p host=a', None, ['Xk9#mQ2$vL7p']),
    ('password=changeme123', None, []),
    ('token: aaaaaaaa', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PASSWORD_ASSIGNMENT, text, key) == expected
