from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

DYNATRACE_TOKEN = PatternDetector(
    id="dynatrace-token",
    entity="CREDENTIAL",
    # API tokens (`dt0c01.` + 24 + `.` + 64).
    pattern=LinearRegex(
        r"\b(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b"
    ),
    score=0.95,
    keywords=("dt0c01.",),
    group=1,
)
