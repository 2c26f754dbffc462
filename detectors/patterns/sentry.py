from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

SENTRY_TOKEN = PatternDetector(
    id="sentry-token",
    entity="CREDENTIAL",
    # Organisation auth tokens (`sntrys_eyJ`) and user auth tokens (`sntryu_` + 64 hex).
    pattern=LinearRegex(
        r"\b(sntrys_eyJ[A-Za-z0-9+/=_-]{60,400}|sntryu_[a-f0-9]{64})(?:[^\w+/=-]|$)"
    ),
    score=0.95,
    keywords=("sntrys_", "sntryu_"),
    group=1,
)
