import re

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

_TWELVE = re.compile(r"\d{12}|\d{4}( |-)\d{4}\1\d{4}")


def twelve_digits(value: str) -> bool:
    """Twelve digits, together or in groups of four (a longer run is not a 12-digit card:
    `4111 1111 1111 1111` holds `1111 1111 1111`), with a valid Luhn check digit."""
    return _TWELVE.fullmatch(value) is not None and luhn_valid(value)


CREDIT_CARD_SHORT = PatternDetector(
    id="credit-card-short",
    entity="CREDIT_CARD",
    # Maestro cards have 12 to 19 digits; a 12-digit number counts only right after a card's
    # name (`card 5018 0000 0009`, `my card # 676200000009`, `cc 503800000004`) and when the
    # Luhn check holds.
    pattern=LinearRegex(
        r"(?:^|[^\d-])(?P<m>(?:\d[ -]?){11,18}\d)(?:[^\d-]|\z)",
        context_before=True,
    ),
    score=0.7,
    context_keys=("card", "pan", "cc_", "payment", "maestro"),
    context_words=("card", "cc ", "cc:", "cc#", "cc no", "maestro"),
    context_window=25,
    requires_context=True,
    validate=twelve_digits,
    group=1,
    min_digits=12,
)
