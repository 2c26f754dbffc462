from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

PRIVATE_KEY = PatternDetector(
    id="private-key",
    entity="CREDENTIAL",
    # A key block up to its end line; a block cut short (no end line) up to where its base64
    # body stops, since a partial key is still key material.
    pattern=LinearRegex(
        r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
        r"(?:(?s:.)*?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
        r"|(?:[ \t\r\n]*[A-Za-z0-9+/=:,\\-])*)"
    ),
    score=1.0,
    keywords=("private key",),
)
