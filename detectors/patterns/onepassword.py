from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

ONEPASSWORD_TOKEN = PatternDetector(
    id="onepassword-token",
    entity="CREDENTIAL",
    # 1Password service account tokens (`ops_eyJ` + base64 JSON) and Secret Keys (`A3-`).
    pattern=LinearRegex(
        r"\b(ops_eyJ[A-Za-z0-9+/=_-]{100,1000}|A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]"
        r"{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})(?:[^\w+/=-]|$)"
    ),
    score=0.95,
    keywords=("ops_eyj", "a3-"),
    group=1,
)
