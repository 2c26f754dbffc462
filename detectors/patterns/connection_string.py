from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

CONNECTION_STRING = PatternDetector(
    id="connection-string",
    entity="CREDENTIAL",
    # scheme://user:password@host (the user may be empty: `redis://:…@host`) — the password
    # part is the secret.
    pattern=LinearRegex(
        rf"\b[a-z][a-z0-9+.-]{{1,30}}://[^\s:/@]{{0,100}}:([^\s@/]{{3,200}})@[{WORD}.-]+"
    ),
    score=0.9,
    keywords=("://",),
    validate=lambda value: value.lower() not in ("password", "pass", "****", "xxx"),
    group=1,
)
