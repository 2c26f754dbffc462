import re

from detectors.pattern import PatternDetector

EMAIL = PatternDetector(
    id="email",
    entity="EMAIL_ADDRESS",
    pattern=re.compile(
        r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\b"
    ),
    score=0.95,
    keywords=("@",),
    context_keys=("email", "mail"),
)
