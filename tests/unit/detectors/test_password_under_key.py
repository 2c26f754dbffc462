"""PASSWORD_UNDER_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.password_under_key import PASSWORD_UNDER_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('Summer2024!', 'password', ['Summer2024!']),
    ('hunter2', 'db_password', ['hunter2']),
    ('falcon390fBTj', 'PGPASSWORD', ['falcon390fBTj']),
    ('c3VwZXJzZWNyZXQ=', 'smtpPass', ['c3VwZXJzZWNyZXQ=']),
    ('Summer2024!', 'password_hash', []),
    ('strict', 'password_policy', []),
    ('', 'password', []),
    ('********', 'password', []),
    ('<your password>', 'password', []),
    ('${DB_PASSWORD}', 'password', []),
    ('Summer2024!', 'passport_number', []),
    ('Summer2024!', 'compass', []),
    ('/home/ops', 'PWD', []),
    ('Summer2024!', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PASSWORD_UNDER_KEY, text, key) == expected
