from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

SALESFORCE_TOKEN = PatternDetector(
    id="salesforce-token",
    entity="CREDENTIAL",
    # Access and session tokens: an org id (`00D` + 12-15) and `!` before the session part.
    pattern=LinearRegex(
        r"\b(00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,250})(?:[^\w.!]|$)"
    ),
    score=0.95,
    keywords=("00d",),
    group=1,
)
