from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

SUPABASE_TOKEN = PatternDetector(
    id="supabase-token",
    entity="CREDENTIAL",
    # Supabase personal access tokens (`sbp_` + 40 hex) and secret keys (`sb_secret_`).
    pattern=LinearRegex(
        r"\b(sbp_[a-f0-9]{40}|sb_secret_[\w-]{30,64})(?:[^\w-]|$)"
    ),
    score=0.95,
    keywords=("sbp_", "sb_secret_"),
    group=1,
)
