from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import shannon_entropy

DATADOG_KEY = PatternDetector(
    id="datadog-key",
    entity="CREDENTIAL",
    # API keys (32 hex) and application keys (40 hex) written next to `datadog` or `dd_api`/`dd_app`.
    pattern=LinearRegex(
        r"""(?i:datadog|dd_api|dd_app|dd-api|dd-app)[\w.-]{0,30}[\"']?\s{0,3}[:=]\s{0,3}[\"']?([a-f0"""
        r"-9]{40}|[a-f0-9]{32})\b"
    ),
    score=0.95,
    keywords=("datadog", "dd_api", "dd_app", "dd-api", "dd-app"),
    group=1,
    validate=lambda value: shannon_entropy(value) >= 3.0,
)
