from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import luhn_valid

CREDIT_CARD = PatternDetector(
    id="credit-card",
    entity="CREDIT_CARD",
    # 13-19 digits, optionally grouped by single spaces or dashes, or in dotted groups of four
    # (or 4-6-5); the Luhn check decides.
    pattern=LinearRegex(
        r"(?:^|[^\d-])(?P<m>(?:\d[ -]?){12,18}\d|\d{4}(?:\.\d{4}){2}\.\d{1,7}|\d{4}\.\d{6}\.\d{5})"
        r"(?:[^\d-]|\z)",
        context_before=True,
    ),
    score=0.9,
    context_keys=("card", "pan", "cc_", "payment"),
    validate=luhn_valid,
    group=1,
    min_digits=13,
)
