import re

from detectors.pattern import PatternDetector

_NOT_A_QUANTITY = r"(?!\s*(?:%|percent|\$|dollars|usd|eur|minutes|mins|hours|days|weeks|months|:|\.\d))"


def _plausible_age(value: str) -> bool:
    return 0 < int(value) <= 120


AGE = PatternDetector(
    id="age",
    entity="AGE",
    # `turned 64`, `aged 30`, `at the age of 72`, `she was 65.`, `I'll turn 23` (the number is
    # the value).
    pattern=re.compile(
        r"(?i)(?:\b(?:aged?|turned|turning|turns|age of|age is|age:)\s*"
        r"|\b(?:'ll|will|about to|going to) turn\s+(?=\d{1,3}(?:[.,!?;)]|\s+(?:years?|next|this|soon"
        r"|today|tomorrow|on|in)\b|\s*\Z))"
        r"|\b(?:he|she|i|they|you)\s+(?:was|is|am|are|were|turned)\s+)"
        rf"(\d{{1,3}})\b{_NOT_A_QUANTITY}"
    ),
    score=0.6,
    keywords=("age", "turn", "he ", "she ", "i ", "they ", "you "),
    context_keys=("age",),
    validate=_plausible_age,
    group=1,
    min_digits=1,
)

AGE_YEARS_OLD = PatternDetector(
    id="age-years-old",
    entity="AGE",
    # `78 years old`, `74 year old`, `a 30-year-old`, `31 y/o`.
    pattern=re.compile(r"(?i)\b(\d{1,3})(?=[\s-]*(?:years?|yrs?)[\s-]*old\b|[ \t]*y/o\b)"),
    score=0.8,
    keywords=("old", "y/o"),
    validate=_plausible_age,
    group=1,
    min_digits=1,
)
