from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

MAILGUN_KEY = PatternDetector(
    id="mailgun-key",
    entity="CREDENTIAL",
    # Private API keys (32 hex, 8 hex, 8 hex), and `key-`/`pubkey-` + 32 next to `mailgun`.
    pattern=LinearRegex(
        r"""\b([a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8})\b|(?i:mailgun|mg_api)[\w.-]{0,30}[\"']?\s{0,3}["""
        r""":=]\s{0,3}[\"']?((?:pub)?key-[a-z0-9]{32})\b"""
    ),
    score=0.95,
    keywords=("key-", "-"),
    group=-1,
    min_digits=8,
)
