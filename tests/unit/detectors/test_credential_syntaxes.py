"""Credentials in the syntaxes they really appear in are found whether a tool returns the file
as a list of lines or as one string (issue 14: 0.21 and 0.61 of such lines were found)."""

from __future__ import annotations

import pytest

from detectors import DetectorEngine

# (a file's lines, the secret each line holds or None for a clean line)
FILES: dict[str, list[tuple[str, str | None]]] = {
    "sql": [("CREATE USER 'app'@'%' IDENTIFIED BY 'Falcon1542?';", "Falcon1542?"),
            ("CREATE ROLE analyst WITH LOGIN PASSWORD 'tiger311Tj9Q';", "tiger311Tj9Q"),
            ("GRANT SELECT ON orders.* TO 'app'@'%';", None)],
    "shell": [("mysql -u root -pr9qD0ZzlsUXn -h db orders < schema.sql", "r9qD0ZzlsUXn"),
              ("curl -u admin:Summer1164? https://ci.internal/api/json", "Summer1164?"),
              ("PGPASSWORD=Maple984. psql -h db -U app", "Maple984."),
              ("docker run -d -p 8080:80 nginx:1.27", None)],
    "config": [("database:", None), ("  password: sunshine175Fwx0", "sunshine175Fwx0"),
               ("spring.datasource.password=Castle161#", "Castle161#"),
               ("DB_PASSWORD=Rocket765?", "Rocket765?"), ("  password: ${SMTP_PASSWORD}", None),
               ("ENV MYSQL_ROOT_PASSWORD Sunshine256!", "Sunshine256!")],
    "xml": [('<add key="DbPassword" value="4tR6KR6^Vzv7" />', "4tR6KR6^Vzv7"),
            ("<password>Silver673#</password>", "Silver673#"),
            ('<add key="PageSize" value="50" />', None)],
    "dsn": [("redis://:dragon829j5XA@cache.internal:6379/0", "dragon829j5XA"),
            ("Data Source=sql01;User ID=crm;Pwd=Harbor1909?;Encrypt=True", "Harbor1909?"),
            ("jdbc:oracle:thin:scott/Rocket2022.@oracle.internal:1521:ORCL", "Rocket2022.")],
    "http": [("Authorization: Basic YWRtaW46d2ludGVyLW1vbmtleQ==", "YWRtaW46d2ludGVyLW1vbmtleQ=="),
             ("x-auth-token: 5351a89e6c1e3e70736f5813886d176a",
              "5351a89e6c1e3e70736f5813886d176a"),
             ("Accept: application/json", None)],
    "code": [('dataSource.setPassword("winter-maple-velvet51");', "winter-maple-velvet51"),
             ("session.auth = HTTPBasicAuth('svc', 'Summer1581#')", "Summer1581#"),
             ('password = os.environ["DB_PASSWORD"]', None),
             ("self.password = password", None)],
    "kubernetes": [("kind: Secret", None), ("data:", None),
                   ("  password: U3VtbWVyMjAyNCE=", "U3VtbWVyMjAyNCE="),
                   ("  tls.key: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NB",
                    "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NB")],
}


@pytest.fixture(scope="module")
def engine() -> DetectorEngine:
    return DetectorEngine(entities={"CREDENTIAL"})


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_secret_is_found_in_a_list_of_lines(engine: DetectorEngine, name: str) -> None:
    lines = [line for line, _ in FILES[name]]
    findings = engine.scan({"path": name, "lines": lines})
    found = {(int(f.path.split("[")[1].rstrip("]")), lines[int(f.path.split("[")[1].rstrip("]"))]
              [f.start:f.end]) for f in findings}
    assert found == {(i, secret) for i, (_, secret) in enumerate(FILES[name]) if secret}


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_secret_is_found_in_one_string(engine: DetectorEngine, name: str) -> None:
    content = "\n".join(line for line, _ in FILES[name])
    found = {content[f.start:f.end] for f in engine.scan({"content": content})}
    assert found == {secret for _, secret in FILES[name] if secret}
