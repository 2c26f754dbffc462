import re

from detectors.pattern import PatternDetector

POSTAL_CODE = PatternDetector(
    id="postal-code",
    entity="LOCATION",
    # US ZIP(+4), 4-5 digit codes, Canadian and UK postcodes; only next to `zip`/`postal`.
    pattern=re.compile(
        r"(?<![\w-])(\d{4,5}(?:-\d{3,4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d"
        r"|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})(?![\w-])"
    ),
    score=0.5,
    context_keys=("zip", "postal", "postcode"),
    context_words=("zip", "postal", "postcode", "post code"),
    context_window=25,
    requires_context=True,
    group=1,
    min_digits=2,
)
