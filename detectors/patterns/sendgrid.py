from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

SENDGRID_KEY = PatternDetector(
    id="sendgrid-key",
    entity="CREDENTIAL",
    pattern=LinearRegex(rf"\b(?P<m>SG\.[{WORD}-]{{22}}\.[{WORD}-]{{43}})(?:[^{WORD}-]|\z)"),
    score=0.95,
    keywords=("sg.",),
    group=1,
)
