from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

OPENAI_KEY = PatternDetector(
    id="openai-key",
    entity="CREDENTIAL",
    pattern=LinearRegex(
        r"\b(?P<m>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}"
        r"|sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200})(?:[^A-Za-z0-9_-]|\z)"
    ),
    score=0.95,
    keywords=("sk-",),
    group=1,
)
