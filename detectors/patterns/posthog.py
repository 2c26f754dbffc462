from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

POSTHOG_KEY = PatternDetector(
    id="posthog-key",
    entity="CREDENTIAL",
    # Project (`phc_`) and personal (`phx_`) API keys.
    pattern=LinearRegex(
        r"\b(ph[cx]_[A-Za-z0-9]{43})(?:[^\w-]|$)"
    ),
    score=0.95,
    keywords=("phc_", "phx_"),
    group=1,
)
