from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

FACEBOOK_TOKEN = PatternDetector(
    id="facebook-token",
    entity="CREDENTIAL",
    # Facebook (Meta Graph API) user and page access tokens: `EAA`, a letter for the token
    # kind, and 100 or more letters and digits.
    pattern=LinearRegex(r"\b(EAA[A-Za-z][A-Za-z0-9]{100,1000})\b"),
    score=0.9,
    keywords=("eaa",),
    group=1,
)
