from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

POSTAL_CODE = PatternDetector(
    id="postal-code",
    entity="LOCATION",
    # US ZIP(+4), 4-5 digit codes, Canadian and UK postcodes; only next to `zip`/`postal`.
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}-])(?P<m>\d{{4,5}}(?:-\d{{3,4}})?|[A-Z]\d[A-Z] ?\d[A-Z]\d"
        rf"|[A-Z]{{1,2}}\d[A-Z\d]? ?\d[A-Z]{{2}})(?:[^{WORD}-]|\z)",
        context_before=True,
    ),
    score=0.5,
    context_keys=("zip", "postal", "postcode"),
    context_words=("zip", "postal", "postcode", "post code"),
    context_window=25,
    requires_context=True,
    group=1,
    min_digits=2,
)
