from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

OPENSHIFT_TOKEN = PatternDetector(
    id="openshift-token",
    entity="CREDENTIAL",
    # OpenShift user and service account OAuth access tokens: `sha256~` and 43 URL-safe base64
    # characters (`oc login --token=sha256~…`).
    pattern=LinearRegex(r"\b(sha256~[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)"),
    score=0.9,
    keywords=("sha256~",),
    group=1,
)
