from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

FLYIO_TOKEN = PatternDetector(
    id="flyio-token",
    entity="CREDENTIAL",
    # Fly.io tokens (`fo1_` + 43, and macaroon tokens `FlyV1 fm1r_`/`fm2_`).
    pattern=LinearRegex(
        r"\b(fo1_[\w-]{43}|fm[12][ar]?_[A-Za-z0-9+/=_-]{100,1000})(?:[^\w+/=-]|$)"
    ),
    score=0.95,
    keywords=("fo1_", "fm1", "fm2"),
    group=1,
)
