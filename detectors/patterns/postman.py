from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

POSTMAN_KEY = PatternDetector(
    id="postman-key",
    entity="CREDENTIAL",
    # API keys (`PMAK-` + 24 hex + `-` + 34 hex).
    pattern=LinearRegex(
        r"\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b"
    ),
    score=0.95,
    keywords=("pmak-",),
    group=1,
)
