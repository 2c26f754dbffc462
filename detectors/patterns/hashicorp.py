from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.checks import shannon_entropy


def _mixed(value: str) -> bool:
    """Upper case, lower case and digits, as a random token has (not `s.makeConfig`)."""
    token = value.split(".", 1)[-1]
    return (any(c.isupper() for c in token) and any(c.islower() for c in token)
            and any(c.isdigit() for c in token))


HASHICORP_TOKEN = PatternDetector(
    id="hashicorp-token",
    entity="CREDENTIAL",
    # Vault service (`hvs.`) and batch (`hvb.`) tokens, legacy `s.` service tokens (mixed case and
    # digits, 24), and Terraform Cloud tokens (`.atlasv1.`).
    pattern=LinearRegex(
        r"\b(hvs\.[\w-]{90,120}|hvb\.[\w-]{138,300}|[a-z0-9]{14}\.atlasv1\.[\w=-]{60,70})(?:[^\w-]"
        r"|$)|\b(s\.[A-Za-z0-9]{24})\b"
    ),
    score=0.95,
    keywords=("hvs.", "hvb.", "atlasv1", "s."),
    group=-1,
    validate=lambda value: (shannon_entropy(value) >= 3.5
                            and (not value.startswith("s.") or _mixed(value))),
)
