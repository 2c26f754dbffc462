import re

from detectors.pattern import PatternDetector

US_PASSPORT = PatternDetector(
    id="us-passport",
    entity="US_PASSPORT",
    # Nine digits, or a letter and eight digits (next generation); only with evidence.
    pattern=re.compile(r"(?<![\w-])(\d{9}|[A-Z]\d{8})(?![\w-])"),
    score=0.5,
    context_keys=("passport",),
    context_words=("passport",),
    context_window=40,
    requires_context=True,
    group=1,
    min_digits=8,
)
