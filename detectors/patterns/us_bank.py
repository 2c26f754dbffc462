from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

US_BANK_ACCOUNT = PatternDetector(
    id="us-bank-account",
    entity="US_BANK_NUMBER",
    # Any 8-17 digit run is a candidate (presidio's pattern); only evidence makes it one.
    pattern=LinearRegex(rf"(?:^|[^{WORD}-])(?P<m>\d{{8,17}})(?:[^{WORD}-]|\z)",
                        context_before=True),
    score=0.5,
    context_keys=("account", "acct", "bank"),
    context_words=("account", "acct", "bank", "checking", "savings"),
    context_window=40,
    requires_context=True,
    group=1,
    min_digits=8,
)
