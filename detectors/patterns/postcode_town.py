"""A postcode and its town written together, without a word that introduces a place: the
postcode first, as most of Europe writes it (`10115 Berlin`, `1011 AB Amsterdam`, `00-950
Warszawa`, `411 07 Göteborg`, `D-80331 München`), or the town first (`Leeds, LS6 2AB`, `Lyon
69002`). The town must be a known city or town (GeoNames, `CITIES`/`TOWNS`) and the number a
postcode of some country's format (`is_postcode`), not a year, and not the number of a thing
(`Room 1421 Berlin`).
"""

from __future__ import annotations

import re

from detectors.gazetteer import CITIES, EVERYDAY_WORDS, PLACE_NAME, TOWNS, fold_place
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.postcode_after_place import NUMBERING
from detectors.patterns.postcode_formats import is_postcode

# The postcode shapes of the main countries: `10115`, `1011 AB`, `8001`, `00-950`, `411 07`,
# `1100-148`, `150-0043`, with a country's letters before it (`D-`, `CH-`, `F-`).
_CODE = (r"(?:[A-Z]{1,2}-)?(?:\d{5}|\d{4}[ ][A-Z]{2}|\d{4}|\d{2}-\d{3}|\d{3}[ ]\d{2}"
         r"|\d{4}-\d{3}|\d{3}-\d{4})")
_CODE_FIRST = re.compile(_CODE + r"(?=[ \t])")
# The town first: the codes above and the letter-and-digit ones (`LS6 2AB`, `H3Z 2Y7`,
# `D02 X285`).
_CODE_AFTER = (rf"(?:{_CODE}|[A-Z]{{1,2}}\d[A-Z\d]?[ ]\d[A-Z]{{2}}|[A-Z]\d[A-Z][ ]\d[A-Z]\d"
               r"|[A-Z]\d{2}[ ][A-Z\d]{4})")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# Months and weekdays, some of them towns too (`Nov`): `1024 Nov 12` is a file listing's size
# and date.
_CALENDAR = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
})
_WORDS = re.compile(r"\S+")


def _postcode(code: str) -> bool:
    plain = re.sub(r"\A[A-Z]{1,2}-", "", code)
    return not _YEAR.fullmatch(plain) and is_postcode(plain)


def _known_town(words: list[str]) -> bool:
    name = " ".join(words).rstrip(".,;:")
    folded = fold_place(name)
    return ((folded in CITIES or folded in TOWNS) and folded not in EVERYDAY_WORDS
            and folded not in _CALENDAR
            and not (name.isupper() and len(name) <= 3))


def _code_then_town(value: str) -> list[tuple[int, int]]:
    """`10115 Berlin` of `10115 Berlin Mitte`: the postcode and the longest run of words after
    it that is a known town."""
    code = _CODE_FIRST.match(value)
    if code is None or not _postcode(code.group()):
        return []
    words = [(m.start(), m.end()) for m in _WORDS.finditer(value, code.end())]
    for count in range(len(words), 0, -1):
        if _known_town([value[a:b] for a, b in words[:count]]):
            return [(0, len(value[:words[count - 1][1]].rstrip(".,;:")))]
    return []


def _not_a_numbered_thing(match: str, value: str) -> bool:
    """The word before the postcode does not number it: not `Room 1421 Berlin`."""
    before = match[: match.rfind(value)].split()
    return not before or before[-1].lower().strip(".:#") not in NUMBERING


POSTCODE_BEFORE_TOWN = PatternDetector(
    id="postcode-before-town",
    entity="LOCATION",
    # `10115 Berlin`, `1011 AB Amsterdam`, `00-950 Warszawa`, `411 07 Göteborg`: see the module.
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}.,/:-])(?:([{WORD}]+)[ \t]+)?({_CODE}[ \t]+{PLACE_NAME})"
        rf"(?:[^{WORD}@/]|\z)",
        context_before=True,
    ),
    score=0.6,
    validate_match=_not_a_numbered_thing,
    members=_code_then_town,
    group=2,
    min_digits=4,
)


def _town_then_code(value: str) -> list[tuple[int, int]]:
    """`Lyon 69002`, `Leeds, LS6 2AB`: a known town (the longest run of words that ends
    before the postcode) and a postcode of its shape."""
    words = [(m.start(), m.end()) for m in _WORDS.finditer(value)]
    for split in range(len(words) - 1, 0, -1):
        code = value[words[split][0]:].strip()
        if not re.fullmatch(_CODE_AFTER, code):
            continue
        if not (_postcode(code) or re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", code)):
            return []
        town = [value[a:b] for a, b in words[:split]]
        for first in range(len(town)):
            if _known_town(town[first:]):
                return [(words[first][0], len(value))]
        return []
    return []


TOWN_BEFORE_POSTCODE = PatternDetector(
    id="town-before-postcode",
    entity="LOCATION",
    # `Leeds, LS6 2AB`, `Lyon 69002`, `Göteborg 411 07`: a known town, a comma or not, and a
    # postcode, where the clause ends.
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}.@/-])({PLACE_NAME},?[ \t]+{_CODE_AFTER})"
        r"(?:[ \t]*(?:[.,;:!?)](?:[^\d]|\z)|\n)|\z|[ \t]+(?:in|for|and|to|with|on|is|was)\b)",
        context_before=True,
    ),
    score=0.6,
    members=_town_then_code,
    group=1,
    min_digits=2,
)
