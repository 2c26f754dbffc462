from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

AGE_SECRET_KEY = PatternDetector(
    id="age-secret-key",
    entity="CREDENTIAL",
    # age encryption secret keys (`AGE-SECRET-KEY-1` + 58 bech32 characters).
    pattern=LinearRegex(
        r"\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b"
    ),
    score=0.95,
    keywords=("age-secret-key-1",),
    group=1,
)
