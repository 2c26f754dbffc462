import re

from detectors.pattern import PatternDetector
from detectors.patterns.checks import looks_random

PASSWORD_ASSIGNMENT = PatternDetector(
    id="password-assignment",
    entity="CREDENTIAL",
    # `password=...`, `secret: ...`, `api_key="..."` in free text, logs and key=value blobs.
    pattern=re.compile(
        r"(?i)\b(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)"
        r"\b[\"']?\s*[:=]\s*[\"']?([^\s\"',;&]{8,200})"
    ),
    score=0.8,
    keywords=("pass", "pwd", "secret", "token", "key"),
    validate=lambda value: looks_random(value, 8, 2.8),
    group=1,
)
