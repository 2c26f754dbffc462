from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

GITLAB_TOKEN = PatternDetector(
    id="gitlab-token",
    entity="CREDENTIAL",
    # Personal/project/group access, deploy, runner, OAuth, CI build, feed and SCIM tokens.
    pattern=LinearRegex(
        r"\b(?P<m>(?:glpat|gldt|glrt|gloas|glcbt|glft|glsoat|glimt|glagent|glptt)"
        rf"-[{WORD}-]{{20,64}}"
        rf"|GR1348941[{WORD}-]{{20}})(?:[^{WORD}-]|\z)"
    ),
    score=0.95,
    keywords=("glpat-", "gldt-", "glrt-", "gloas-", "glcbt-", "glft-", "glsoat-", "glimt-",
              "glagent-", "glptt-", "gr1348941"),
    group=1,
)
