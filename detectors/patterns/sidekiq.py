from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

SIDEKIQ_CREDENTIAL = PatternDetector(
    id="sidekiq-credential",
    entity="CREDENTIAL",
    # Sidekiq Pro/Enterprise gem server credentials (`user:password`, 8 hex digits each) in
    # Bundler's `BUNDLE_ENTERPRISE__CONTRIBSYS__COM` / `BUNDLE_GEMS__CONTRIBSYS__COM` setting,
    # in any syntax that assigns it.
    pattern=LinearRegex(
        r"(?i)BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM[\w\"'\]]{0,12}"
        r"(?:\s{1,3}string)?\s{0,3}(?:=>|:{1,3}=|[?.]=|=|:|,)\s{0,3}[\"'`]?"
        r"([0-9a-f]{8}:[0-9a-f]{8})\b"
    ),
    score=0.9,
    keywords=("__contribsys__com",),
    group=1,
)
