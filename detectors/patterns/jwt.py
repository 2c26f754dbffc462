import base64
import binascii
import json

from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector


def _has_jwt_header(value: str) -> bool:
    header = value.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except (ValueError, binascii.Error):
        return False
    return isinstance(decoded, dict) and "alg" in decoded


JWT = PatternDetector(
    id="jwt",
    entity="CREDENTIAL",
    pattern=LinearRegex(
        rf"\b(?P<m>eyJ[{WORD}-]{{10,}}\.eyJ[{WORD}-]{{10,}}\.[{WORD}-]{{10,}})(?:[^{WORD}-]|\z)"
    ),
    score=0.9,
    keywords=("eyj",),
    validate=_has_jwt_header,
    group=1,
)
