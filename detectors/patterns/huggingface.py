from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import shannon_entropy

HUGGINGFACE_TOKEN = PatternDetector(
    id="huggingface-token",
    entity="CREDENTIAL",
    # User access tokens (`hf_` + 34 letters) and organisation tokens (`api_org_` + 34).
    pattern=LinearRegex(
        r"\b((?:hf_|api_org_)[A-Za-z]{34})\b"
    ),
    score=0.95,
    keywords=("hf_", "api_org_"),
    group=1,
    validate=lambda value: shannon_entropy(value) >= 3.5,
)
