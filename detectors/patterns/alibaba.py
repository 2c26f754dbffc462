from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import shannon_entropy

ALIBABA_KEY = PatternDetector(
    id="alibaba-key",
    entity="CREDENTIAL",
    # Alibaba Cloud AccessKey ids (`LTAI` + 20).
    pattern=LinearRegex(
        r"\b(LTAI[A-Za-z0-9]{20})\b"
    ),
    score=0.95,
    keywords=("ltai",),
    group=1,
    validate=lambda value: shannon_entropy(value) >= 3.0,
)
