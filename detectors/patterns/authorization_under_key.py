from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import is_literal

AUTHORIZATION_UNDER_KEY = PatternDetector(
    id="authorization-under-key",
    entity="CREDENTIAL",
    # The value of an `Authorization` header stored under its name in a JSON header map:
    # `{"headers": {"Authorization": "Bearer …"}}`.
    pattern=LinearRegex(
        r"(?i)\A\s*(?:basic|bearer|token|digest|apikey|sso-key|ssws|otoken)\s+"
        r"([A-Za-z0-9._~+/=:-]{8,1000}[A-Za-z0-9._~+/=:-]{0,1000})\s*\Z"
    ),
    score=0.9,
    context_keys=("authorization",),
    requires_context=True,
    context_boost=0.0,
    validate=is_literal,
    group=1,
)
