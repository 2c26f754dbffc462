from detectors.linear import After, LinearRegex
from detectors.pattern import PatternDetector

# After the number: not a quantity of something else.
_QUANTITY = After(r"(?i)\s*(?:%|percent|\$|dollars|usd|eur|minutes|mins|hours|days|weeks"
                   r"|months|:|\.\d)")
# After `I'll turn`, the number ends a clause or is followed by a word of time.
_CLAUSE_END = After(r"(?i)[.,!?;)]|\s+(?:years?|next|this|soon|today|tomorrow|on|in)\b|\s*\z",
                    present=True, group=3)


def _plausible_age(value: str) -> bool:
    return 0 < int(value) <= 120


AGE = PatternDetector(
    id="age",
    entity="AGE",
    # `turned 64`, `aged 30`, `at the age of 72`, `she was 65.`, `I'll turn 23` (the number is
    # the value).
    pattern=LinearRegex(
        r"(?i)(?P<m>(?:\b(?:aged?|turned|turning|turns|age of|age is|age:)\s*"
        r"|\b(?:he|she|i|they|you)\s+(?:was|is|am|are|were|turned)\s+)(\d{1,3})"
        r"|\b(?:'ll|will|about to|going to) turn\s+(\d{1,3}))\b",
        after=(_QUANTITY, _CLAUSE_END),
    ),
    score=0.6,
    keywords=("age", "turn", "he ", "she ", "i ", "they ", "you "),
    context_keys=("age",),
    validate=_plausible_age,
    group=-1,
    min_digits=1,
)

AGE_YEARS_OLD = PatternDetector(
    id="age-years-old",
    entity="AGE",
    # `78 years old`, `74 year old`, `a 30-year-old`, `31 y/o`.
    pattern=LinearRegex(
        r"(?i)\b(?P<m>\d{1,3})(?:[\s-]*(?:years?|yrs?)[\s-]*old\b|[ \t]*y/o\b)"
    ),
    score=0.8,
    keywords=("old", "y/o"),
    validate=_plausible_age,
    group=1,
    min_digits=1,
)
