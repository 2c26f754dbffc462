from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

DATABRICKS_TOKEN = PatternDetector(
    id="databricks-token",
    entity="CREDENTIAL",
    # Personal access tokens (`dapi` + 32 hex, optional `-N`) and OAuth secrets (`dose` + 32 hex).
    pattern=LinearRegex(
        r"\b((?:dapi|dose)[a-f0-9]{32}(?:-\d)?)\b"
    ),
    score=0.95,
    keywords=("dapi", "dose"),
    group=1,
)
