from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import is_password_value, is_secret_value, names_password
from detectors.patterns.credential_words import names_secret as _names_secret


def _accept(matched: str, value: str) -> bool:
    name = matched.split()[1]
    if not _names_secret(name):
        return False
    return is_password_value(value) if names_password(name) else is_secret_value(value)


DOCKERFILE_ENV = PatternDetector(
    id="dockerfile-env",
    entity="CREDENTIAL",
    # Dockerfile's space-separated form `ENV MYSQL_ROOT_PASSWORD …` / `ARG NPM_TOKEN …` (the
    # `ENV KEY=value` form is an ordinary assignment).
    pattern=LinearRegex(
        r"""\b(?:ENV|ARG)[ \t]+[A-Za-z_][\w.-]{0,60}[ \t]+(?:"([^"\n]{1,300})"|'([^'\n]{1,300})'"""
        r"""|([^\s"'=]{1,300}))"""
    ),
    score=0.8,
    keywords=("env ", "arg ", "env\t", "arg\t"),
    group=-1,
    validate_match=_accept,
)
