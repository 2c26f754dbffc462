import re

from detectors.pattern import PatternDetector

SENDGRID_KEY = PatternDetector(
    id="sendgrid-key",
    entity="CREDENTIAL",
    pattern=re.compile(r"\b(SG\.[\w-]{22}\.[\w-]{43})(?![\w-])"),
    score=0.95,
    keywords=("sg.",),
    group=1,
)
