from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

GOOGLE_API_KEY = PatternDetector(
    id="google-api-key",
    entity="CREDENTIAL",
    # API keys (`AIza` + 35) and OAuth client secrets (`GOCSPX-` + 28).
    pattern=LinearRegex(rf"\b(?P<m>AIza[{WORD}-]{{35}}|GOCSPX-[{WORD}-]{{28}})(?:[^{WORD}-]|\z)"),
    score=0.95,
    keywords=("aiza", "gocspx-"),
    group=1,
)
