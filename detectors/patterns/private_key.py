import re

from detectors.pattern import PatternDetector

PRIVATE_KEY = PatternDetector(
    id="private-key",
    entity="CREDENTIAL",
    pattern=re.compile(
        r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
        r"[\s\S]{0,20000}?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
    ),
    score=1.0,
    keywords=("private key",),
)
