import re

from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import is_password_value, is_secret_value, names_password
from detectors.patterns.credential_words import names_secret as _names_secret

_KEY = re.compile(r"""[^\w.@$-]?\s*["'$@]?([\w.@$-]+)""")


def _accept(matched: str, value: str) -> bool:
    """The key decides what the value must look like: any literal after a password's name, a
    random-looking one after a token's or a key's."""
    key = _KEY.match(matched)
    if key is None or not _names_secret(key.group(1)):
        return False
    if names_password(key.group(1)):
        return is_password_value(value)
    return is_secret_value(value)


PASSWORD_ASSIGNMENT = PatternDetector(
    id="password-assignment",
    entity="CREDENTIAL",
    # A credential's name, an assignment and a literal, in the syntaxes of code, config files,
    # logs and key=value strings: `password = "…"`, `DB_PASSWORD=…`, `spring.datasource.password:
    # …`, `'api_key' => '…'`, `Password := "…"`, `Password=…;` inside connection strings. The key
    # decides what the value must look like (see `credential_words`). Make's `::=`/`?=`, PHP's
    # `.=` and Go's `var name string = …` are assignments too. A bare value stops at an escaped
    # line break (`"X_TOKEN=…\\nNEXT=1"` inside JSON). A bare value must end
    # the token: `password = bytes(…)` and `password = auth[2]` are code. A key starts after a
    # character that cannot be part of it (consumed), so the regex tries only where keys start.
    pattern=LinearRegex(
        r"(?i)(?:^|[^\w.@$-])([\w.@$-]{0,30}(?:pass|pwd|secret|token|key|auth|credential|bearer)"
        r"[\w.@$-]{0,20})"
        r"""["']?\]?(?:\s{1,3}(?:string|String|str|\[\]byte))?"""
        r"""\s{0,5}(?:=>|:{1,3}=|[?.+]=|=|:)\s{0,5}"""
        r"""(?:"([^"\n]{1,300})"|'([^'\n]{1,300})'|`([^`\n]{1,300})`"""
        r"""|((?:[^\s"'`,;<>(){}\[\]\\]|\\[^nrt\s"'\\]){1,300})(?:[\s,;&)}\]>\\"']|$))"""
    ),
    score=0.8,
    keywords=("pass", "pwd", "secret", "token", "key", "auth", "credential", "bearer"),
    group=-1,
    validate_match=_accept,
)
