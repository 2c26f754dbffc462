from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

NPM_TOKEN = PatternDetector(
    id="npm-token",
    entity="CREDENTIAL",
    pattern=LinearRegex(r"\b(npm_[A-Za-z0-9]{36})\b"),
    score=0.95,
    keywords=("npm_",),
    group=1,
)
