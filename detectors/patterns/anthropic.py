import re

from detectors.pattern import PatternDetector

ANTHROPIC_KEY = PatternDetector(
    id="anthropic-key",
    entity="CREDENTIAL",
    pattern=re.compile(r"\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,120})(?![A-Za-z0-9_-])"),
    score=0.95,
    keywords=("sk-ant-",),
    group=1,
)
