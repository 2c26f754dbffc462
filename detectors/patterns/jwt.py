import base64
import binascii
import json
import re

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
    pattern=re.compile(r"\b(eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,})(?![\w-])"),
    score=0.9,
    keywords=("eyj",),
    validate=_has_jwt_header,
    group=1,
)
