from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

NEW_RELIC_KEY = PatternDetector(
    id="new-relic-key",
    entity="CREDENTIAL",
    # User API keys (`NRAK-` + 27), insert keys (`NRII-` + 32), browser keys (`NRJS-` + 19 hex) and
    # license keys (36 hex ending in `NRAL`).
    pattern=LinearRegex(
        r"\b(NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9_-]{32}|NRJS-[a-f0-9]{19}|[a-f0-9]{36}NRAL)(?:[^\w-]"
        r"|$)"
    ),
    score=0.95,
    keywords=("nrak-", "nrii-", "nrjs-", "nral"),
    group=1,
)
