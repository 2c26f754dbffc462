from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector


def _licence_like(value: str) -> bool:
    return sum(c.isdigit() for c in value) >= 5


US_DRIVER_LICENSE = PatternDetector(
    id="us-driver-license",
    entity="US_DRIVER_LICENSE",
    # State formats vary (letters + digits, digits with dashes); only with evidence.
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}-])(?P<m>[A-Z]{{0,2}}\d[\dA-Z-]{{3,18}}[\dA-Z])(?:[^{WORD}-]|\z)",
        context_before=True,
    ),
    score=0.5,
    context_keys=("driver", "licen", "dl_number", "dln"),
    context_words=("driver", "licence", "license", "dl#", "dln"),
    context_window=40,
    requires_context=True,
    validate=_licence_like,
    group=1,
    min_digits=1,
)
