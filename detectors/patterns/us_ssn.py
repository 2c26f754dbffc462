from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import ascii_digits


def plausible_ssn(value: str) -> bool:
    digits_ascii = ascii_digits(value)
    digits = (digits_ascii.decode("ascii") if digits_ascii is not None
              else "".join(c for c in value if c.isdigit()))
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area.startswith("9") or group == "00" or serial == "0000":
        return False
    return len(set(digits)) > 1 and digits not in ("123456789", "078051120")


US_SSN = PatternDetector(
    id="us-ssn",
    entity="US_SSN",
    # Dashed, spaced or dotted forms anywhere; the bare 9-digit form only under an SSN-like key.
    pattern=LinearRegex(
        r"(?:^|[^\d-])(?P<m>\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{3}\.\d{2}\.\d{4})"
        r"(?:[^\d-]|\z)",
        context_before=True,
    ),
    score=0.85,
    context_keys=("ssn", "social", "tax_id", "taxpayer"),
    validate=plausible_ssn,
    group=1,
    min_digits=9,
)

US_SSN_UNDER_KEY = PatternDetector(
    id="us-ssn-keyed",
    entity="US_SSN",
    pattern=LinearRegex(r"(?:^|\D)(?P<m>\d{9})(?:\D|\z)", context_before=True),
    score=0.6,
    context_keys=("ssn", "social_security"),
    requires_context=True,
    validate=plausible_ssn,
    group=1,
    min_digits=9,
)
