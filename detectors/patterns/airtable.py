from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

AIRTABLE_TOKEN = PatternDetector(
    id="airtable-token",
    entity="CREDENTIAL",
    # Airtable personal access tokens (`pat` + 14 + `.` + 64 hex).
    pattern=LinearRegex(
        r"\b(pat[A-Za-z0-9]{14}\.[a-f0-9]{64})\b"
    ),
    score=0.95,
    keywords=("pat",),
    group=1,
)
