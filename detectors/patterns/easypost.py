from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

EASYPOST_KEY = PatternDetector(
    id="easypost-key",
    entity="CREDENTIAL",
    # EasyPost production (`EZAK`) and test (`EZTK`) API keys: the prefix and 54 characters.
    pattern=LinearRegex(r"\b(EZ[AT]K[A-Za-z0-9]{54})\b"),
    score=0.9,
    keywords=("ezak", "eztk"),
    group=1,
)
