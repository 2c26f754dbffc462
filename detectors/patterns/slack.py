from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

SLACK_TOKEN = PatternDetector(
    id="slack-token",
    entity="CREDENTIAL",
    pattern=LinearRegex(
        r"\b(xox[abposr]-[0-9A-Za-z-]{10,250}"
        r"|https://hooks\.slack\.com/services/T[A-Z0-9]{8,}/B[A-Z0-9]{8,}/[A-Za-z0-9]{20,})"
    ),
    score=0.95,
    keywords=("xox", "hooks.slack.com"),
    group=1,
)
