from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import looks_random

AZURE_KEY = PatternDetector(
    id="azure-key",
    entity="CREDENTIAL",
    # Storage account keys and Service Bus/Event Hub shared access keys in connection strings,
    # SAS signatures, and Entra ID client secrets (`xxx8Q~...`).
    pattern=LinearRegex(
        r"(?:^|(?s:.))(?P<m>(?i:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{40,88}={0,2})"
        r"|[?&]sig=([A-Za-z0-9%+/]{40,100}(?:%3D|=){0,2}))"
        rf"|(?:^|[^{WORD}~.-])(?P<m2>([{WORD}~.]{{3}}\dQ~[{WORD}~.-]{{31,34}}))(?:[^{WORD}~.-]|\z)",
        context_before=True,
    ),
    score=0.9,
    group=-1,
    keywords=("accountkey=", "sharedaccesskey=", "sig=", "q~"),
    validate=lambda value: looks_random(value, 30, 3.5),
)
