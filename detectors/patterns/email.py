from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

EMAIL = PatternDetector(
    id="email",
    entity="EMAIL_ADDRESS",
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}.+-])(?P<m>[A-Za-z0-9][A-Za-z0-9._%+-]{{0,63}}@(?:[A-Za-z0-9-]{{1,63}}\.)+"
        r"[A-Za-z]{2,24})\b",
        context_before=True,
    ),
    score=0.95,
    keywords=("@",),
    context_keys=("email", "mail"),
)
