from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import is_password_value

ORACLE_LOGIN = PatternDetector(
    id="oracle-login",
    entity="CREDENTIAL",
    # Oracle's `user/password@database`: JDBC thin URLs and the command-line tools
    # (`sqlplus scott/…@orcl`, `expdp system/…@//host/svc`, `rman target sys/…@db`).
    pattern=LinearRegex(
        r"(?i)(?:jdbc:oracle:(?:thin|oci):|\b(?:sqlplus|rman(?:\s+target)?|expdp|impdp|exp|imp"
        r"|sqlldr|dgmgrl|sqlcl|sql)\s+(?:-\w+\s+){0,3})[\w$#]{1,60}/([^\s@/'\"]{1,200})@"
    ),
    score=0.85,
    keywords=("jdbc:oracle", "sqlplus", "rman", "expdp", "impdp", "exp ", "imp ", "sqlldr",
              "dgmgrl", "sqlcl", "sql "),
    group=1,
    validate=is_password_value,
)
