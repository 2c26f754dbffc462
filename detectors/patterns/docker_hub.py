from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

DOCKER_HUB_TOKEN = PatternDetector(
    id="docker-hub-token",
    entity="CREDENTIAL",
    # Docker Hub personal and organisation access tokens (`dckr_pat_`, `dckr_oat_` + 27 or more).
    pattern=LinearRegex(
        r"\b(dckr_(?:pat|oat)_[\w-]{27,64})(?:[^\w-]|$)"
    ),
    score=0.95,
    keywords=("dckr_",),
    group=1,
)
