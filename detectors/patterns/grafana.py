from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

GRAFANA_TOKEN = PatternDetector(
    id="grafana-token",
    entity="CREDENTIAL",
    # Service account tokens (`glsa_` + 32 + `_` + 8 hex) and Grafana Cloud tokens (`glc_`).
    pattern=LinearRegex(
        r"\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})(?:[^\w+/=-]|$)"
    ),
    score=0.95,
    keywords=("glsa_", "glc_"),
    group=1,
)
