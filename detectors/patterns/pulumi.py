from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

PULUMI_TOKEN = PatternDetector(
    id="pulumi-token",
    entity="CREDENTIAL",
    # Access tokens (`pul-` + 40 hex).
    pattern=LinearRegex(
        r"\b(pul-[a-f0-9]{40})\b"
    ),
    score=0.95,
    keywords=("pul-",),
    group=1,
)
