from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import is_password_value

BASIC_AUTH_OPTION = PatternDetector(
    id="basic-auth-option",
    entity="CREDENTIAL",
    # `user:password` given to an HTTP client: `curl -u admin:…`, `curl --user deploy:…`,
    # `http -a user:…` (HTTPie), quoted (`-u "user":"…"`, `--user u:'…'`, `-u ":…"`), on a
    # continued line (`\` at the end of the line before); `wget --http-password=…` is a
    # --password option elsewhere.
    pattern=LinearRegex(
        r"""\b(?:curl|http|https|xh)\b(?:[^\n|;&]|\\\n){0,400}?\s(?:-u|--user|-a|--auth)"""
        r"""(?:\s*|=)["']?\{?[^\s:'"${}]{0,100}\}?["']?:["']?\{?([^\s'"{}]{1,200})"""
    ),
    score=0.85,
    keywords=(" -u", "--user", " -a", "--auth"),
    group=1,
    validate=is_password_value,
)
