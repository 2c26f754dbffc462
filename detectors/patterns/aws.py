from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import looks_random

AWS_ACCESS_KEY_ID = PatternDetector(
    id="aws-access-key-id",
    entity="CREDENTIAL",
    pattern=LinearRegex(r"\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})\b"),
    score=0.9,
    keywords=("akia", "asia", "abia", "acca", "a3t"),
    group=1,
)

AWS_SECRET_ACCESS_KEY = PatternDetector(
    id="aws-secret-access-key",
    entity="CREDENTIAL",
    pattern=LinearRegex(
        r"(?i)(?P<m>aws.{0,20}?(?:secret|sk).{0,20}?['\"=:\s]\s*([A-Za-z0-9/+]{40}))"
        r"(?:[^A-Za-z0-9/+]|\z)"
    ),
    score=0.9,
    keywords=("aws",),
    validate=lambda value: looks_random(value, 40, 4.0),
    group=2,
)
