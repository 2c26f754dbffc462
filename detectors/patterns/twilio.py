from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

TWILIO_API_KEY = PatternDetector(
    id="twilio-api-key",
    entity="CREDENTIAL",
    # API key SIDs (`SK` + 32 hex) and auth tokens (32 hex) written next to `twilio`.
    pattern=LinearRegex(
        r"\b(SK[0-9a-f]{32})\b"
        r"|(?i:twilio.{0,30}?(?:auth|token|secret).{0,20}?[\s'\"=:])([0-9a-f]{32})\b"
    ),
    score=0.9,
    group=-1,
    keywords=("sk", "twilio"),
)
