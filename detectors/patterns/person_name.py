from detectors.gazetteer import NAME_WORD, is_given_name, looks_like_full_name
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

_START = rf"(?:^|[^{WORD}'’@./-])"


def _full_name(value: str) -> bool:
    return looks_like_full_name(value.split())


PERSON_FULL_NAME = PatternDetector(
    id="person-full-name",
    entity="PERSON",
    # Two to four name words with evidence of a person (see `looks_like_full_name`):
    # `Ingrid Lövgren`, `Nora K. Whitcombe`, `Clodomiro Barrientos`.
    # The match is empty and the name follows it, so candidates overlap (`Dear Anna Smith`
    # still tries `Anna Smith`).
    pattern=LinearRegex(
        rf"{_START}(?P<m>)({NAME_WORD}(?:[ \t]+[A-Z]\.?)?(?:[ \t]+{NAME_WORD}){{1,2}})"
        rf"(?:[^{WORD}@]|\z)",
        context_before=True,
    ),
    score=0.7,
    context_keys=("name", "contact", "customer", "patient", "author", "owner", "user"),
    validate=_full_name,
    group=2,
)

PERSON_GIVEN_NAME = PatternDetector(
    id="person-given-name",
    entity="PERSON",
    # A known given name standing alone: `Derek`, `Teresa` (not `Will`, `May`, `Grant`).
    pattern=LinearRegex(
        rf"{_START}(?P<m>[A-Z][a-z]+)(?:[^{WORD}'’@.-]|\.(?:[^{WORD}]|\z)|\z)",
        context_before=True,
    ),
    score=0.5,
    context_keys=("name", "contact", "customer", "patient", "author", "owner", "user"),
    validate=is_given_name,
    group=1,
    defers_to_ner=True,
)
