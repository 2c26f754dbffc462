from detectors.linear import WORD, LinearRegex
from detectors.offline import bundled_suffix_extractor
from detectors.pattern import PatternDetector


def _known_suffix(value: str) -> bool:
    """The host ends in a public suffix (bundled list, no network)."""
    return bool(bundled_suffix_extractor()(value).suffix)


URL = PatternDetector(
    id="url",
    entity="URL",
    # With a scheme or `www.`; bare domains only for the common generic TLDs (`setup.py` is a
    # file name even though .py is a country TLD).
    pattern=LinearRegex(
        rf"(?i)(?:^|[^{WORD}])(?P<m>(?:https?://|ftp://|www\.)[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]}}])"
        rf"|(?:^|[^@{WORD}.-])\b(?P<m2>(?:[a-z0-9-]{{1,63}}\.)+"
        r"(?:com|org|net|edu|gov|io|info|biz))\b"
        rf"(?:[^@{WORD}-]|\z)",
        context_before=True,
    ),
    score=0.6,
    keywords=("http", "www.", "ftp:", ".com", ".org", ".net", ".edu", ".gov", ".io", ".info",
              ".biz"),
    context_keys=("url", "link", "website", "homepage", "domain"),
    validate=_known_suffix,
    group=0,
)
