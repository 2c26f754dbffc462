from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import shannon_entropy

OKTA_TOKEN = PatternDetector(
    id="okta-token",
    entity="CREDENTIAL",
    # Okta API tokens (`00` + 40) written next to `okta`.
    pattern=LinearRegex(
        r"""(?i:okta)[\w.-]{0,30}[\"']?\s{0,3}[:=]\s{0,3}[\"']?(00[\w-]{40})(?:[^\w-]|$)"""
    ),
    score=0.95,
    keywords=("okta",),
    group=1,
    validate=lambda value: shannon_entropy(value) >= 3.5,
)
