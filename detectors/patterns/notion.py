from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import shannon_entropy

NOTION_TOKEN = PatternDetector(
    id="notion-token",
    entity="CREDENTIAL",
    # Notion integration tokens (`ntn_` + 11 digits + 35, and the older `secret_` + 43).
    pattern=LinearRegex(
        r"\b(ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})\b"
    ),
    score=0.95,
    keywords=("ntn_", "secret_"),
    group=1,
    validate=lambda value: shannon_entropy(value) >= 3.5,
)
