from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

ARTIFACTORY_TOKEN = PatternDetector(
    id="artifactory-token",
    entity="CREDENTIAL",
    # JFrog Artifactory API keys (`AKCp` + 69 letters and digits) and reference tokens (the
    # base64 of `reftkn:`, `cmVmdGtu`, + 56).
    pattern=LinearRegex(r"\b(AKCp[A-Za-z0-9]{69}|cmVmdGtu[A-Za-z0-9]{56})\b"),
    score=0.9,
    keywords=("akcp", "cmvmdgtu"),
    group=1,
)
