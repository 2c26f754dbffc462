import re

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import (
    BRAND_SURNAMES,
    CITIES,
    COMMON_WORD_NAMES,
    EVERYDAY_WORDS,
    GIVEN_NAMES,
    NOT_A_NAME,
    PLACE_NAME,
    TOWNS,
    fold_place,
)
from detectors.linear import LOWER_CASE_LEAF, WORD, LinearRegex
from detectors.pattern import PatternDetector

# City names that are everyday English words after `in`, `at` or `to` (`set to Normal`,
# `in Progress`, `at Best`). Written for Afterguard.
_EVERYDAY = frozenset({
    "alliance", "bar", "bath", "batman", "best", "buffalo", "commerce", "concord", "deal",
    "derby", "eagle", "enterprise", "gap", "hope", "independence", "liberty", "man", "marathon",
    "mobile", "most", "nice", "normal", "ocean", "of", "opportunity", "orange", "palm",
    "paradise", "phoenix", "pleasant", "progress", "providence", "reading", "sale", "split",
    "surprise", "temple", "union", "unity", "van", "university", "central", "university park",
    "mission", "pride", "bay", "post", "rest", "kind", "sandy", "ramp", "ash",
})
_WORDS = re.compile(r"\S+")
_CUE_WORDS = re.compile(r"(?i)\A(?:\S+[ \t]+){0,2}?(?:in|at|to|from|near|city|town|of|where:?)[ \t]+")


def _known_place(name: str, written: str) -> bool:
    """A city (`CITIES`), or a smaller town (`TOWNS`), that is not an acronym (`NER`; a town:
    `IBMA`), an everyday English word (`Buy`, `Hub`) nor usually a brand (`Apache`)."""
    if written.isupper() and len(written) <= 3 or name in EVERYDAY_WORDS:
        return False
    if name in CITIES:
        return True
    return (name in TOWNS and not (written.isupper() and len(written) <= 4)
            and name not in BRAND_SURNAMES)


def _city(value: str) -> list[tuple[int, int]]:
    """The longest run of words after the cue that is a known city: `MOLDE` in `in MOLDE`,
    `Kranj` in `Where: Kranj Country`; not a given name after `to` (`talk to Irene`)."""
    cue = _CUE_WORDS.match(value)
    if cue is None:
        return []
    words = [(m.start(), m.end()) for m in _WORDS.finditer(value, cue.end())]
    for count in range(len(words), 0, -1):
        start, end = words[0][0], words[count - 1][1]
        written = value[start:end].rstrip(".,:;")
        name = fold_place(written)
        if not _known_place(name, written) or name in _EVERYDAY or name in STOP_WORDS or name in NOT_A_NAME:
            continue
        if count == 1 and (name in COMMON_WORD_NAMES or (
                name in GIVEN_NAMES and cue.group().lower().rstrip().endswith("to"))):
            return []
        return [(start, start + len(value[start:end].rstrip(".,:;")))]
    return []


CITY = PatternDetector(
    id="city",
    entity="LOCATION",
    # A city or town (GeoNames, 15,000 people or more, detectors/data/cities.txt; or 1,000 or
    # more, towns.txt, not an acronym nor a brand) written as a
    # name after `in`, `at`, `to`, `from`, `near`, `city of`, `Where:`: `I'm in STAVANGER`,
    # `returned to Lübeck`, `Where: Kranj Country Club`. Everyday words that are also city
    # names (`set to Normal`) and given names after `to` are left alone; yields to NER where the
    # model found an entity over it.
    pattern=LinearRegex(
        rf"(?P<m>(?i:\b(?:in|at|to|from|near|city|town|city of|town of|where:?))[ \t]+({PLACE_NAME}))"
        rf"(?:[^{WORD}@/]|\z)"
    ),
    score=0.6,
    keywords=("in ", "at ", "to ", "from ", "near ", "city", "town", "where"),
    members=_city,
    group=1,
    defers_to_ner=True,
)

_LOWER_CUE = re.compile(r"\b(?:in|at|to|from|near|city of|town of)[ \t]+")
_LINE = 80  # characters after a cue that a place's name is looked for in


def _lower_case_cities(text: str) -> list[tuple[int, int]]:
    """Known cities and towns after `in`, `at`, `to`, `from`, `near` in a leaf with no capital
    letter: `we returned to tromsø by boat`; each cue looks at most `_LINE` characters on."""
    spans: list[tuple[int, int]] = []
    for cue in _LOWER_CUE.finditer(text):
        line = text[cue.start():cue.start() + _LINE].split("\n", 1)[0]
        spans.extend((cue.start() + a, cue.start() + b) for a, b in _city(line)
                     if not spans or cue.start() + a >= spans[-1][1])
    return spans


CITY_LOWER_CASE = PatternDetector(
    id="city-lower-case",
    entity="LOCATION",
    # The same places as `city`, in a leaf written all in lower case: `my friend lives in
    # tromsø`, `we flew to kraków`; the whole leaf is the match, each place a finding.
    pattern=LinearRegex(LOWER_CASE_LEAF),
    score=0.6,
    keywords=("in ", "at ", "to ", "from ", "near ", "city of", "town of"),
    members=_lower_case_cities,
    group=1,
    defers_to_ner=True,
)
