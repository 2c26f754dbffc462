"""SQL_PASSWORD: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.sql_password import SQL_PASSWORD
from tests.unit.detectors.conftest import found

CASES = [
    ("CREATE USER 'app'@'%' IDENTIFIED BY 'Falcon1542?';", None, ['Falcon1542?']),
    ("ALTER USER 'r'@'localhost' IDENTIFIED WITH mysql_native_password BY 'hunter2x';", None,
     ['hunter2x']),
    ("CREATE ROLE analyst WITH LOGIN PASSWORD 'tiger311Tj9Q' VALID UNTIL '2027-01-01';", None,
     ['tiger311Tj9Q']),
    ("SET PASSWORD FOR 'legacy'@'localhost' = PASSWORD('Copper1250!');", None, ['Copper1250!']),
    ("CREATE LOGIN svc WITH PASSWORD = 'Maple984.', CHECK_POLICY = OFF;", None, ['Maple984.']),
    ('GRANT ALL ON *.* TO \'root\'@\'%\' IDENTIFIED BY "s3cr3t-pass";', None, ['s3cr3t-pass']),
    ("ALTER TABLE accounts ADD COLUMN password_hash VARCHAR(255);", None, []),
    ("UPDATE accounts SET password = ? WHERE id = ?;", None, []),
    ("ALTER ROLE etl PASSWORD NULL;", None, []),
    ("SELECT user FROM mysql.user WHERE password_expired = 'N';", None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(SQL_PASSWORD, text, key) == expected
