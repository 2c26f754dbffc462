import base64
import binascii
import json

from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector


def _holds_auths(value: str) -> bool:
    try:
        decoded = json.loads(base64.b64decode(value + "=" * (-len(value) % 4)))
    except (ValueError, binascii.Error):
        return False
    return isinstance(decoded, dict) and isinstance(decoded.get("auths"), dict)


DOCKER_CONFIG_AUTH = PatternDetector(
    id="docker-config-auth",
    entity="CREDENTIAL",
    # A base64-encoded Docker config (`.dockerconfigjson` of a Kubernetes pull secret): JSON
    # `{"auths": …}` holding registry credentials; it starts `eyJhdXRocyI6`.
    pattern=LinearRegex(r"(eyJhdXRocyI6[A-Za-z0-9+/]{20,}={0,2})"),
    score=0.95,
    keywords=("eyjhdxrocyi6",),
    validate=_holds_auths,
    group=1,
)
