from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

SHOPIFY_TOKEN = PatternDetector(
    id="shopify-token",
    entity="CREDENTIAL",
    # Admin API, custom app, private app tokens and shared secrets (`shpat_`, `shpca_`, `shppa_`,
    # `shpss_` + 32 hex).
    pattern=LinearRegex(
        r"\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b"
    ),
    score=0.95,
    keywords=("shpat_", "shpca_", "shppa_", "shpss_"),
    group=1,
)
