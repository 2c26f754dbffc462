from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

GITHUB_TOKEN = PatternDetector(
    id="github-token",
    entity="CREDENTIAL",
    pattern=LinearRegex(
        rf"\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{{36}}|github_pat_[{WORD}]{{82}})\b"
    ),
    score=0.95,
    keywords=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    group=1,
)
