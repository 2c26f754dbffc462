from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import PASSWORD_WORDS, is_password_value, names_password

PASSWORD_UNDER_KEY = PatternDetector(
    id="password-under-key",
    entity="CREDENTIAL",
    # A whole value stored under a password's name: a JSON field `"password": "Summer2024!"`,
    # a `password: …` line of a YAML or .env file inside a string. Any literal counts (people
    # choose weak passwords); placeholders, references and code do not (`credential_words`).
    pattern=LinearRegex(r"\A\s*(\S{4,300})\s*\Z"),
    score=0.8,
    context_keys=tuple(sorted(PASSWORD_WORDS)),
    requires_context=True,
    context_boost=0.0,
    validate=is_password_value,
    group=1,
    key_filter=names_password,
)
