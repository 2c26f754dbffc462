import re

from detectors.pattern import PatternDetector

GOOGLE_API_KEY = PatternDetector(
    id="google-api-key",
    entity="CREDENTIAL",
    # API keys (`AIza` + 35) and OAuth client secrets (`GOCSPX-` + 28).
    pattern=re.compile(r"\b(AIza[\w-]{35}|GOCSPX-[\w-]{28})(?![\w-])"),
    score=0.95,
    keywords=("aiza", "gocspx-"),
    group=1,
)
