from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

LINEAR_KEY = PatternDetector(
    id="linear-key",
    entity="CREDENTIAL",
    # API keys (`lin_api_` + 40).
    pattern=LinearRegex(
        r"\b(lin_api_[A-Za-z0-9]{40})\b"
    ),
    score=0.95,
    keywords=("lin_api_",),
    group=1,
)
