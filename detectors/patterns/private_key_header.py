from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

PRIVATE_KEY_HEADER = PatternDetector(
    id="private-key-header",
    entity="CREDENTIAL",
    # The first line of a private key where the rest is cut off or lies in other strings (an
    # output truncated after the header, a key split over list items): PEM, OpenSSH, PGP and
    # PKCS#8 headers, and PuTTY key files. The whole block, when present, is `private-key`.
    pattern=LinearRegex(
        r"-----BEGIN[ A-Z0-9_-]{0,60}PRIVATE KEY(?: BLOCK)?-----"
        r"|PuTTY-User-Key-File-\d: [\w-]{3,40}"
    ),
    score=0.9,
    keywords=("private key", "putty-user-key-file"),
)
