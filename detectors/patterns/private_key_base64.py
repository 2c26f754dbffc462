import base64
import binascii

from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector


def _encodes_private_key(value: str) -> bool:
    head = value[:120]
    try:
        decoded = base64.b64decode(head[: len(head) // 4 * 4]).decode("ascii", "replace")
    except (ValueError, binascii.Error):
        return False
    return "PRIVATE KEY" in decoded or "OPENSSH PRIVATE" in decoded


PRIVATE_KEY_BASE64 = PatternDetector(
    id="private-key-base64",
    entity="CREDENTIAL",
    # A PEM private key encoded in base64 as a whole (Kubernetes secrets' `tls.key`, Helm
    # values, CI variables): it starts `LS0tLS1CRUdJTi` (`-----BEGIN`).
    pattern=LinearRegex(r"(LS0tLS1CRUdJTi[A-Za-z0-9+/]{20,}={0,2})"),
    score=0.95,
    keywords=("ls0tls1crudjti",),
    validate=_encodes_private_key,
    group=1,
)
