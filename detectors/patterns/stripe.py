from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

STRIPE_KEY = PatternDetector(
    id="stripe-key",
    entity="CREDENTIAL",
    pattern=LinearRegex(r"\b((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,99})\b"),
    score=0.95,
    keywords=("sk_live_", "sk_test_", "rk_live_", "rk_test_"),
    group=1,
)
