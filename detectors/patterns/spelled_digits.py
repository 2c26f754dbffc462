"""Numbers written as words, a digit at a time: `two one nine zero nine nine nine nine eight`,
`four five three nine, one four eight eight, …`. A reader writes the digits back at a glance;
the number detectors read digits only.

A run of nine or more English digit words (`zero` to `nine`, any case, separated by blanks,
commas or hyphens) is read as its digits: nine of them a plausible SSN (`US_SSN`), 13 to 19
a Luhn-valid number in a real card scheme's issuer range and length (`CREDIT_CARD`). Prose
rarely names nine digits in a row; `oh` for zero is not read (it is a word of its own). One
RE2 pass per detector, on texts holding a digit word.
"""

from __future__ import annotations

from detectors.card_issuers import issued_card
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import luhn_valid
from detectors.patterns.us_ssn import plausible_ssn

DIGIT_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
               "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_WORD = "(?:" + "|".join(DIGIT_WORDS) + ")"
_RUN = LinearRegex(
    rf"(?i)(?:^|[^{WORD}])(?P<m>{_WORD}(?:[\s,-]+{_WORD}){{8,18}})(?:[^{WORD}]|\z)",
    context_before=True,
)


def spelled_digits(value: str) -> str:
    """The digits a run of digit words spells (`four one` -> `41`)."""
    words = value.lower().replace(",", " ").replace("-", " ").split()
    return "".join(DIGIT_WORDS[word] for word in words)


def _spelled_ssn(value: str) -> bool:
    digits = spelled_digits(value)
    return len(digits) == 9 and plausible_ssn(digits)


def _spelled_card(value: str) -> bool:
    digits = spelled_digits(value)
    return 13 <= len(digits) <= 19 and luhn_valid(digits) and issued_card(digits)


_KEYWORDS = tuple(DIGIT_WORDS)

SSN_SPELLED = PatternDetector(
    id="us-ssn-spelled",
    entity="US_SSN",
    pattern=_RUN,
    score=0.75,
    keywords=_KEYWORDS,
    validate=_spelled_ssn,
    group=1,
)

CARD_SPELLED = PatternDetector(
    id="credit-card-spelled",
    entity="CREDIT_CARD",
    pattern=_RUN,
    score=0.85,
    keywords=_KEYWORDS,
    validate=_spelled_card,
    group=1,
)
