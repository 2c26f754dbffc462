
from detectors.gazetteer import COUNTRIES, names_pattern
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

# Country names that are also everyday lowercase words: only capitalised do they name a place.
_LOWERCASE_WORDS = frozenset({"chad", "china", "georgia", "guinea", "jersey", "jordan", "mali",
                              "niger", "turkey"})
_BY_LOWER = {name.lower(): name for name in COUNTRIES}


def _written_as_a_name(value: str) -> bool:
    """`Tunisia`, `TUNISIA`, `tunisia`; not `turkey` or `TuNiSiA`."""
    value = " ".join(value.split())
    name = _BY_LOWER[value.lower()]
    if value in (name, name.upper()):
        return True
    return value == value.lower() and value not in _LOWERCASE_WORDS


COUNTRY = PatternDetector(
    id="country",
    entity="LOCATION",
    # A country's name (ISO 3166-1, see detectors/data/countries.txt): `Slovenia`,
    # `Czech Republic`, `UNITED KINGDOM`, `belgium`. Weak alone (`Chad`, `Georgia`, `Jordan` are
    # also given names), so it yields to NER where the model found an entity over it.
    pattern=LinearRegex(
        rf"(?i)(?:^|[^{WORD}@./-])(?P<m>"
        + names_pattern(COUNTRIES)
        + rf")(?:[^{WORD}@.-]|\.(?:[^{WORD}]|\z)|\z)",
        context_before=True,
    ),
    score=0.6,
    context_keys=("country", "nation", "location", "address"),
    validate=_written_as_a_name,
    group=1,
    defers_to_ner=True,
)
