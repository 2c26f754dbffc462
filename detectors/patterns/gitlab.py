import re

from detectors.pattern import PatternDetector

GITLAB_TOKEN = PatternDetector(
    id="gitlab-token",
    entity="CREDENTIAL",
    # Personal/project/group access, deploy, runner, OAuth, CI build, feed and SCIM tokens.
    pattern=re.compile(
        r"\b((?:glpat|gldt|glrt|gloas|glcbt|glft|glsoat|glimt|glagent|glptt)-[\w-]{20,64}"
        r"|GR1348941[\w-]{20})(?![\w-])"
    ),
    score=0.95,
    keywords=("glpat-", "gldt-", "glrt-", "gloas-", "glcbt-", "glft-", "glsoat-", "glimt-",
              "glagent-", "glptt-", "gr1348941"),
    group=1,
)
