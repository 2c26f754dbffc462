from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

MAPBOX_TOKEN = PatternDetector(
    id="mapbox-token",
    entity="CREDENTIAL",
    # Mapbox secret tokens (`sk.eyJ` + JWT-like parts).
    pattern=LinearRegex(
        r"\b(sk\.eyJ[\w-]{50,300}\.[\w-]{20,40})(?:[^\w-]|$)"
    ),
    score=0.95,
    keywords=("sk.eyj",),
    group=1,
)
