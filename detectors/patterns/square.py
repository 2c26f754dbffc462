from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

SQUARE_TOKEN = PatternDetector(
    id="square-token",
    entity="CREDENTIAL",
    # Access tokens (`EAAA` + 60, `sq0atp-` + 22) and OAuth secrets (`sq0csp-` + 43).
    pattern=LinearRegex(
        r"\b(EAAA[\w-]{60}|sq0atp-[\w-]{22}|sq0csp-[\w-]{43})(?:[^\w-]|$)"
    ),
    score=0.95,
    keywords=("eaaa", "sq0atp-", "sq0csp-"),
    group=1,
)
