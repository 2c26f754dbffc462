from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import shannon_entropy

CLOUDFLARE_KEY = PatternDetector(
    id="cloudflare-key",
    entity="CREDENTIAL",
    # Origin CA keys (`v1.0-` + 24 hex + `-` + 146 hex), and API tokens (40) and global API keys
    # (37 hex) written next to `cloudflare` or `CF_API`.
    pattern=LinearRegex(
        r"""\b(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})\b|(?i:cloudflare|cf_api|cf_global)[\w.-]{0,30}[\"']"""
        r"""?\s{0,3}[:=]\s{0,3}[\"']?([A-Za-z0-9_-]{40}|[a-f0-9]{37})(?:[^\w-]|$)"""
    ),
    score=0.95,
    keywords=("v1.0-", "cloudflare", "cf_api", "cf_global"),
    group=-1,
    validate=lambda value: shannon_entropy(value) >= 3.0,
)
