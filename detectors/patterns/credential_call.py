from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import is_password_value

_LITERAL = r"""\s*(?:"([^"\n]{1,300})"|'([^'\n]{1,300})')"""

CREDENTIAL_CALL = PatternDetector(
    id="credential-call",
    entity="CREDENTIAL",
    # Literal credentials passed to code: setters (`setPassword("…")`, `.withPassword('…')`,
    # `.password("…")`), user/password pairs (`auth=("admin", "…")`, `HTTPBasicAuth('u', '…')`,
    # `new NetworkCredential("u", "…")`, `PasswordAuthentication("u", "…"`,
    # `UsernamePasswordCredentials`, `.login("u", "…")`), PHP's
    # `define('DB_PASSWORD', '…')` and map puts (`props.put("mail.password", "…")`).
    pattern=LinearRegex(
        r"(?i)\b(?:set|with|put|use)?_?(?:password|passwd|pwd|secret|api_?key|auth_?token)"
        r"\s*\(" + _LITERAL + r"\s*\)"
        r"|(?:\bauth\s*=\s*\(|\b(?:HTTPBasicAuth|HTTPDigestAuth|NetworkCredential|BasicAuth"
        r"|PasswordAuthentication|UsernamePasswordCredentials|UsernamePasswordAuthenticationToken"
        r"|BasicCredentials|PlainCredentials|\.login|\.auth|\.basicAuth|\.credentials)\s*\()"
        r"""\s*["'][^"'\n]{1,100}["']\s*,""" + _LITERAL
        + r"""|\b(?:define|put|set|setProperty|setdefault|add)\s*\(\s*["'][\w.-]{0,60}"""
        r"""(?:password|passwd|pwd|secret|token|api_?key)[\w.-]{0,30}["']\s*,""" + _LITERAL
    ),
    score=0.85,
    keywords=("pass", "pwd", "secret", "api", "token", "auth", "credential", "login"),
    group=-1,
    validate=is_password_value,
)
