import re

from detectors.pattern import PatternDetector
from detectors.patterns.checks import looks_random

SECRET_UNDER_KEY = PatternDetector(
    id="secret-under-key",
    entity="CREDENTIAL",
    # A whole high-entropy value stored under a secret-looking JSON key.
    pattern=re.compile(r"\A\s*([A-Za-z0-9+/=_\-.~]{16,512})\s*\Z"),
    score=0.75,
    context_keys=("password", "passwd", "secret", "token", "api_key", "apikey", "access_key",
                  "private_key", "credential", "auth"),
    requires_context=True,
    context_boost=0.0,
    validate=lambda value: looks_random(value, 16, 3.5),
    group=1,
)
