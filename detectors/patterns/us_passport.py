from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

US_PASSPORT = PatternDetector(
    id="us-passport",
    entity="US_PASSPORT",
    # Nine digits, or a letter and eight digits (next generation); only with evidence.
    pattern=LinearRegex(rf"(?:^|[^{WORD}-])(?P<m>\d{{9}}|[A-Z]\d{{8}})(?:[^{WORD}-]|\z)",
                        context_before=True),
    score=0.5,
    context_keys=("passport",),
    context_words=("passport",),
    context_window=40,
    requires_context=True,
    group=1,
    min_digits=8,
)
