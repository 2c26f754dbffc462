from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import shannon_entropy

ATLASSIAN_TOKEN = PatternDetector(
    id="atlassian-token",
    entity="CREDENTIAL",
    # API tokens (`ATATT3`/`ATCTT3` + about 186 characters) and the older 24-character tokens
    # written next to `atlassian`, `jira` or `confluence`.
    pattern=LinearRegex(
        r"\b(AT[AC]TT3[A-Za-z0-9_=-]{150,250})(?:[^\w-]|$)|(?i:atlassian|jira|confluence)[\w.-]{0,"
        r"""30}[\"']?\s{0,3}[:=]\s{0,3}[\"']?([A-Za-z0-9]{24})\b"""
    ),
    score=0.95,
    keywords=("atatt3", "atctt3", "atlassian", "jira", "confluence"),
    group=-1,
    validate=lambda value: shannon_entropy(value) >= 3.0,
)
