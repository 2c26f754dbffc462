from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import is_password_value

SQL_PASSWORD = PatternDetector(
    id="sql-password",
    entity="CREDENTIAL",
    # Passwords in SQL: `IDENTIFIED BY '…'`, `IDENTIFIED WITH mysql_native_password BY '…'`,
    # `WITH LOGIN PASSWORD '…'`, `ALTER ROLE x PASSWORD '…'`, `= PASSWORD('…')`,
    # `CREATE LOGIN x WITH PASSWORD = '…'`. Quoted literals only: `PASSWORD NULL`, `?` and
    # `:param` are not passwords.
    pattern=LinearRegex(
        r"(?i)\b(?:identified(?:\s+with\s+\w{1,40})?\s+by(?:\s+password)?"
        r"|password\s*(?:=\s*)?(?:password\s*)?\(?)"
        r"""\s*(?:'([^'\n]{1,200})'|"([^"\n]{1,200})")"""
    ),
    score=0.9,
    keywords=("identified", "password"),
    group=-1,
    validate=is_password_value,
)
