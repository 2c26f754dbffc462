from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import is_literal

_SCHEMES = (r"(?:basic|bearer|token|digest|apikey|api-key|api-token|sso-key|ssws|negotiate|ntlm"
            r"|otoken|key)")


def _credential(value: str) -> bool:
    """A literal (long bearer tokens too: the first 300 characters are checked)."""
    return is_literal(value[:300])

AUTHORIZATION_HEADER = PatternDetector(
    id="authorization-header",
    entity="CREDENTIAL",
    # HTTP credentials in headers, as written in requests, logs, curl commands and dumped
    # header maps: `Authorization: Basic …`, `authorization: Bearer …`, `Proxy-Authorization`,
    # `{'Authorization': 'token …'}`, and API-key headers (`X-API-Key: …`, `X-Auth-Token`,
    # `Private-Token`, `X-Vault-Token`).
    pattern=LinearRegex(
        r"""(?i)\b(?:proxy-)?authorization["']?\s{0,3}[:=]\s{0,3}["']?""" + _SCHEMES
        + r"\s+([A-Za-z0-9._~+/=:-]{8,1000}[A-Za-z0-9._~+/=:-]{0,1000})"
        # no scheme: a random-looking value alone (`Authorization: 5eb4223e-5008-…`)
        + r"""|(?i)\b(?:proxy-)?authorization["']?\s{0,3}[:=]\s{0,3}["']?"""
        + r"([A-Za-z0-9._~+/=-]{0,10}[0-9][A-Za-z0-9._~+/=-]{14,500})(?:[\s\"',;]|\z)"
        r"""|\b(?:x-api-key|x-apikey|api-key|apikey|x-auth-token|x-access-token|x-api-token"""
        r"""|private-token|x-vault-token|x-functions-key|ocp-apim-subscription-key|x-goog-api-key)"""
        r"""["']?\s{0,3}[:=]\s{0,3}["']?([A-Za-z0-9._~+/=-]{12,500})"""
    ),
    score=0.9,
    keywords=("authorization", "api-key", "apikey", "-token", "-key"),
    group=-1,
    validate=_credential,
)
