import re

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import COUNTRIES, names_pattern
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.street_address import _EU_PREFIX, _EU_SUFFIX, names_a_street

# Where an address is known to be, in any case: a unit (`apt. 12`), a street with its house
# number last after a building number (`2210 vuorikatu 6`), or two numbers before a street's
# name (`412 88 harbour view`).
_UNIT = r"(?i:apt\.?|apartment|suite|ste\.|unit)[ \t]*#?\d{1,5}[A-Za-z]?"
# A European street in lower case with its house number, its type first (`calle mayor 12`,
# `rua augusta 100`, `ul. lipowa 3`) or ending its name (`storgatan 12`, `hauptstraße 5`).
_EU_STREET = (rf"(?i:{_EU_PREFIX})[ \t]+(?:[\pL][{WORD}'’.-]*[ \t]+){{1,4}}?\d{{1,5}}[A-Za-z]?"
              rf"|[\pL][{WORD}'’-]*(?i:{_EU_SUFFIX})[ \t]+\d{{1,5}}[A-Za-z]?")
_ANCHOR = (rf"{_UNIT}|{_EU_STREET}"
           rf"|(?:\d{{1,6}}[ \t]+(?:\d{{1,6}}[ \t]+)?(?:[\pL][{WORD}'’.-]*[ \t]+){{1,4}}\d{{1,5}}[A-Za-z]?"
           rf"|\d{{1,6}}[ \t]+\d{{1,6}}(?:[ \t]+[\pL][{WORD}'’.-]*){{1,4}})(?:,?\s{{1,4}}(?:[^\pL\pN\s,]{{1,3}}[ \t]+)?{_UNIT})?")
# Between the parts: a comma or a line break (with a list's bullet), or blanks.
_SEPARATOR = r"(?:[ \t]*[\n,][\s,]{0,8}(?:[^\pL\pN\s,]{1,3}[ \t]+)?|[ \t]+)"
# A part: a word (a town's, a region's), a country's qualifier, or a postcode before the town
# (`28013 madrid`, `31-072 kraków`, `111 22 stockholm`).
_PART = rf"(?:[\pL∆][{WORD}'’.∆-]*|\([\pL]+\)|\d{{1,5}}(?:-\d{{3,4}})?)"
_COUNTRY = names_pattern(name.lower() for name in COUNTRIES)
# The end of an address: a country (with a qualifier and a postcode), or a region's code and a
# postcode (`, ks 66044`).
_END = (rf"(?:{_COUNTRY})(?:[ \t]+\([\pL]+\))?(?:[ \t]+\d{{4,6}})?"
        r"|[\pL]{2,3}[ \t]*\n?[ \t]*\d{4,6}")

_WORDS = re.compile(r"[^\W\d_]+")


_STREET_TYPE_FIRST = re.compile(rf"(?i:{_EU_PREFIX})[ \t]")
_TWO_YEARS = re.compile(r"(?:1[89]|20)\d\d[ \t]+(?:1[89]|20)\d\d\b")


def _not_prose(value: str) -> bool:
    """No English function word in it (`12 units 40 of them in france` is a sentence), not a
    copyright line's years (`2009 2011 Example Products GmbH, Germany`), and not everyday words
    ending in a street type before a number (`tiring 3 teams, finland`)."""
    if _TWO_YEARS.match(value) or not names_a_street(" ".join(value.split()[:2])):
        return False  # a copyright line's years; `tiring 3 teams, finland` is no street
    words = _WORDS.findall(value)
    if _STREET_TYPE_FIRST.match(value):
        words = words[1:]  # `via roma 3`: the street's type, not the English word
    # A single letter is a staircase or a building's letter (`mannerheimintie 4 a 12`).
    return not any(word.lower() in STOP_WORDS for word in words if len(word) > 1)


ADDRESS_TAIL_LOWER = PatternDetector(
    id="address-tail-lower",
    entity="LOCATION",
    # An address written in lower case, or in a script without capitals, from its street or
    # unit to its country or postcode: `apt. 12 hafnarfjördur iceland`, `2210 vuorikatu 6, évora,
    # portugal`, `suite 40, győr, hungary 9021`, `apt. 7\nflémalle\n, lg\n belgium (fr)
    # 4400`, `412 88 harbour view\nport alfred\n, ec\n 6170`. The town's words need no capital;
    # the country or region and postcode at the end are the evidence that they are a town.
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}])((?:{_ANCHOR})(?:{_SEPARATOR}{_PART}){{0,6}}?{_SEPARATOR}(?:{_END}))"
        rf"(?:[^{WORD}]|\z)",
        context_before=True,
    ),
    score=0.6,
    context_keys=("address", "addr", "street"),
    validate=_not_prose,
    group=1,
    min_digits=2,
)
