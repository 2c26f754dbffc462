import re

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import CITIES, COMMON_WORD_NAMES, GIVEN_NAMES, NOT_A_NAME
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.place_cue import _PLACE

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


def _city(value: str) -> list[tuple[int, int]]:
    """The longest run of words after the cue that is a known city: `ÅLESUND` in `in ÅLESUND`,
    `Novo mesto` in `Where: Novo mesto Country`; not a given name after `to` (`talk to Irene`)."""
    cue = _CUE_WORDS.match(value)
    if cue is None:
        return []
    words = [(m.start(), m.end()) for m in _WORDS.finditer(value, cue.end())]
    for count in range(len(words), 0, -1):
        start, end = words[0][0], words[count - 1][1]
        name = value[start:end].rstrip(".,:;").casefold()
        if name not in CITIES or name in _EVERYDAY or name in STOP_WORDS or name in NOT_A_NAME:
            continue
        if count == 1 and (name in COMMON_WORD_NAMES or (
                name in GIVEN_NAMES and cue.group().lower().rstrip().endswith("to"))):
            return []
        return [(start, start + len(value[start:end].rstrip(".,:;")))]
    return []


CITY = PatternDetector(
    id="city",
    entity="LOCATION",
    # A city or town (GeoNames, 15,000 people or more; detectors/data/cities.txt) written as a
    # name after `in`, `at`, `to`, `from`, `near`, `city of`, `Where:`: `I'm in STAVANGER`,
    # `returned to Kiel`, `Where: Novo mesto Country Club`. Everyday words that are also city
    # names (`set to Normal`) and given names after `to` are left alone; yields to NER where the
    # model found an entity over it.
    pattern=LinearRegex(
        rf"(?P<m>(?i:\b(?:in|at|to|from|near|city|town|city of|town of|where:?))[ \t]+{_PLACE})"
        rf"(?:[^{WORD}@/]|\z)"
    ),
    score=0.6,
    keywords=("in ", "at ", "to ", "from ", "near ", "city", "town", "where"),
    members=_city,
    group=1,
    defers_to_ner=True,
)
