from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

FLUTTERWAVE_KEY = PatternDetector(
    id="flutterwave-key",
    entity="CREDENTIAL",
    # Flutterwave's secret and public keys (`FLWSECK-` / `FLWPUBK-`, `_TEST` in test mode, 32
    # hex digits and `-X`) and its encryption keys (`FLWSECK_TEST` + 12 hex digits).
    pattern=LinearRegex(
        r"\b(FLW(?:SECK|PUBK)(?:_TEST)?-[0-9a-h]{32}-X|FLWSECK(?:_TEST)?-?[0-9a-h]{12})\b"
    ),
    score=0.9,
    keywords=("flwseck", "flwpubk"),
    group=1,
)
