from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import is_secret_value, names_secret

SECRET_UNDER_KEY = PatternDetector(
    id="secret-under-key",
    entity="CREDENTIAL",
    # A whole random-looking value stored under a secret's name: `api_token`, `client_secret`,
    # `signingKey`, `AUTH_TOKEN`, `encryption_key` (not `secret_name`, `token_url`, `cache_key`).
    pattern=LinearRegex(r"\A\s*([A-Za-z0-9+/=_\-.~!#%^*:@$]{12,512})\s*\Z"),
    score=0.75,
    context_keys=("pass", "pwd", "secret", "token", "key", "credential", "auth", "bearer"),
    requires_context=True,
    context_boost=0.0,
    validate=is_secret_value,
    group=1,
    key_filter=names_secret,
)
