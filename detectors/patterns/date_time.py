from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")

DATE_TIME = PatternDetector(
    id="date-time",
    entity="DATE_TIME",
    # ISO dates and timestamps, 9/23/1987, 23.09.1987, `March 3, 1981`, `3 March 1981`.
    pattern=LinearRegex(
        r"\b(?:\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
        r"|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{1,2}\.\d{1,2}\.\d{4}"
        rf"|{_MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|\d{{1,2}} {_MONTH}\.? \d{{4}})\b"
    ),
    score=0.6,
    context_keys=("date", "time", "_at", "dob", "birth"),
)

YEAR = PatternDetector(
    id="date-year",
    entity="DATE_TIME",
    # A four-digit year after `in`/`since`/`born`: `born in 1971`, `During 1972,`, and after
    # the `of` of a law, a class or a season: `the Clean Air Act of 1970`, `class of 2001`,
    # `summer of 1969`.
    pattern=LinearRegex(
        r"(?i)(?P<m>\b(?:in|since|during|until|born|year|circa|(?:act|class|summer|spring"
        r"|autumn|fall|winter|end|beginning|start|middle)\s+of)\s+((?:1[89]|20)\d{2}))\b"
        r"\s*(?:[^\s%$]|\z)"
    ),
    score=0.5,
    keywords=("in ", "since", "during", "until", "born", "year", "circa", " of "),
    group=2,
    min_digits=4,
)

_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

WEEKDAY = PatternDetector(
    id="date-weekday",
    entity="DATE_TIME",
    # A day of the week after a word that dates something, in any case: `on friday morning`,
    # `next Tuesday`, `until SUNDAY`, `every mondays`.
    pattern=LinearRegex(
        rf"(?i)\b(?:on|this|next|last|every|by|until|till|since|from|before|after|see you)\s+"
        rf"({_WEEKDAY}s?)\b"
    ),
    score=0.5,
    keywords=("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    group=1,
)
