from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

DIGITALOCEAN_TOKEN = PatternDetector(
    id="digitalocean-token",
    entity="CREDENTIAL",
    # Personal access, OAuth and refresh tokens (`dop_v1_`, `doo_v1_`, `dor_v1_` + 64 hex).
    pattern=LinearRegex(
        r"\b(do[opr]_v1_[a-f0-9]{64})\b"
    ),
    score=0.95,
    keywords=("dop_v1_", "doo_v1_", "dor_v1_"),
    group=1,
)
