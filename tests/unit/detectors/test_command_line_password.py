"""COMMAND_LINE_PASSWORD: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.command_line_password import COMMAND_LINE_PASSWORD
from tests.unit.detectors.conftest import found

CASES = [
    ('mysql -u root -pr9qD0ZzlsUXn -h db orders < schema.sql', None, ['r9qD0ZzlsUXn']),
    ("mysqladmin -uroot -p'Kqn%CecvpspE!AvBe8P' status", None, ['Kqn%CecvpspE!AvBe8P']),
    ('mysqldump --user=backup --password=Silver2001# --all-databases', None, ['Silver2001#']),
    ('mongosh --username admin --password Silver2001# --authenticationDatabase admin', None,
     ['Silver2001#']),
    ("sshpass -p 'Falcon1542?' ssh ops@10.0.3.7 uptime", None, ['Falcon1542?']),
    ('redis-cli -h cache -a castle-sunshine-velvet29 ping', None, ['castle-sunshine-velvet29']),
    ('docker login -u ci-bot -p maple118GEuh registry.internal', None, ['maple118GEuh']),
    ('htpasswd -b -c /etc/nginx/.htpasswd admin garden0942ZWw', None, ['garden0942ZWw']),
    ('ldapsearch -x -D cn=admin -w Harbor1909? -b dc=corp', None, ['Harbor1909?']),
    ('smbclient //fs/share -U ops%Tiger570?', None, ['Tiger570?']),
    ('mysql -u root -p orders   # prompts for the password', None, []),
    ('docker run -d -p 8080:80 -p 5432:5432 nginx:1.27', None, []),
    ('ssh -p 2222 ops@bastion.internal', None, []),
    ('mysqldump --password="$DB_PASSWORD" orders', None, []),
    ('pg_dump --password orders', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(COMMAND_LINE_PASSWORD, text, key) == expected
