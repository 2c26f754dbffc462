from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

ANTHROPIC_KEY = PatternDetector(
    id="anthropic-key",
    entity="CREDENTIAL",
    pattern=LinearRegex(
        r"\b(?P<m>sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,120})(?:[^A-Za-z0-9_-]|\z)"
    ),
    score=0.95,
    keywords=("sk-ant-",),
    group=1,
)
