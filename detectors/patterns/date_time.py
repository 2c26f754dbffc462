from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")

DATE_TIME = PatternDetector(
    id="date-time",
    entity="DATE_TIME",
    # ISO dates and timestamps, 7/14/1995, 14.07.1995, `March 3, 1981`, `3 March 1981`.
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
    # A four-digit year after `in`/`since`/`born`: `born in 1971`, `During 1972,`.
    pattern=LinearRegex(
        r"(?i)(?P<m>\b(?:in|since|during|until|born|year|circa)\s+((?:1[89]|20)\d{2}))\b"
        r"\s*(?:[^\s%$]|\z)"
    ),
    score=0.5,
    keywords=("in ", "since", "during", "until", "born", "year", "circa"),
    group=2,
    min_digits=4,
)
