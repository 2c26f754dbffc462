from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

DOPPLER_TOKEN = PatternDetector(
    id="doppler-token",
    entity="CREDENTIAL",
    # Personal, service, service-account, CLI, SCIM and audit tokens (`dp.pt.`, `dp.st.`, ...).
    pattern=LinearRegex(
        r"\b(dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44})\b"
    ),
    score=0.95,
    keywords=("dp.",),
    group=1,
)
