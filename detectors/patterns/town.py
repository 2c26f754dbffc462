"""Towns told by where they are written rather than by a list: the line above a country in an
address block, the value of a `Where:` line, and a place name just before a postcode.

Small towns and villages are too many to list (and their names are often everyday words), but
an address block puts the town on the line above the country (`Tarnów\\nPoland 33-100`), a
calendar entry puts the venue after `Where:`, and prose puts a postcode after the town
(`our office in Kleinbettingen 8380`).
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import COUNTRIES, EVERYDAY_WORDS, NOT_A_NAME, PLACE_NAME, names_pattern
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

# Small words inside place names: `Dolní Lhota u Luhačovic`, `Santa Maria a Vico`,
# `Stratford upon Avon`.
_LINKS = frozenset({"de", "del", "della", "di", "da", "do", "dos", "das", "la", "le", "les",
                    "van", "von", "am", "an", "im", "upon", "sur", "sous", "nad", "pod", "u",
                    "en", "y", "i", "e", "of", "on", "the", "in", "bei", "ob", "ad", "aan",
                    "den", "der", "op", "ter", "te"})
# Everyday words that are not a town in an address's town line (`Sales Team`, `Head Office`).
_NOT_A_TOWN = frozenset({"team", "office", "department", "support", "sales", "marketing",
                         "headquarters", "hq", "attn", "attention", "care", "of", "c/o"})
# A line's leading marks in quoted or listed text: `> `, `??? `, `* `, `- `.
_MARKS = r"(?:[>?*•·|-]+[ \t]*)?"
_TOWN_WORD = r"[\pL][\pL'’.-]*"
_TOWN = rf"{_TOWN_WORD}(?:[ \t]+{_TOWN_WORD}){{0,4}}(?:[ \t]+\([\pL '’.-]{{2,30}}\))?"
_COUNTRY = names_pattern(COUNTRIES)


def _town_line(value: str) -> bool:
    """Words that could name a town: not everyday English words alone (`Head Office`), not
    function words, not organisation words."""
    words = [w.lower().strip("()") for w in value.split()]
    if not words or words[0] in _LINKS or any(w in _NOT_A_TOWN or w in NOT_A_NAME for w in words):
        return False
    return not all(w in EVERYDAY_WORDS or w in STOP_WORDS or w in _LINKS for w in words)


TOWN_ABOVE_COUNTRY = PatternDetector(
    id="town-above-country",
    entity="LOCATION",
    # The line above a country's name (with or without a postcode or a region in parentheses)
    # in an address block: `Hameln (Weser)\nGERMANY`, `Tarnów\nPoland 33-100`,
    # `> Dolní Věstonice\n> Czech Republic 691 29`.
    pattern=LinearRegex(
        rf"(?im)^[ \t]*{_MARKS}(?P<m>{_TOWN})[ \t,]*\n[ \t]*{_MARKS}(?:{_COUNTRY})"
        rf"(?:[ \t]*\([^)\n]{{1,30}}\))?(?:[ \t,]+[\pL\pN -]{{2,12}})?[ \t.]*$"
    ),
    score=0.6,
    keywords=("\n",),
    validate=_town_line,
    group=1,
)

# A venue's kind after its place: `Where: Kuusamo Country Club` reports `Kuusamo`.
_VENUE = re.compile(
    r"(?i)(?:[ \t]+(?:country club|golf club|club|hotel|inn|resort|hall|center|centre|arena"
    r"|stadium|park|plaza|campus|office|offices|building|room|library|museum|church"
    r"|restaurant|cafe|café|bar|pub|theatre|theater|gardens?|station|airport|school"
    r"|university|hospital))+[ \t.]*\Z")
# Values of `Where:` that are not a place.
_NOT_A_PLACE = frozenset({"online", "virtual", "remote", "tbd", "tba", "n/a", "none", "zoom",
                          "teams", "microsoft teams", "google meet", "meet", "skype", "phone",
                          "call", "here", "there", "home", "webex", "slack", "discord"})


def _venue_place(value: str) -> list[tuple[int, int]]:
    """The place in a `Where:` value, less a venue's kind after it and the last full stop."""
    venue = _VENUE.search(value)
    end = venue.start() if venue else len(value.rstrip(" \t."))
    return [(0, end)] if end > 0 else []


def _where_value(value: str) -> bool:
    spans = _venue_place(value)
    if not spans:
        return False
    place = value[:spans[0][1]].strip().lower()
    return (place not in _NOT_A_PLACE and "://" not in place and "@" not in place
            and not all(w in EVERYDAY_WORDS or w in STOP_WORDS for w in place.split()))


WHERE_FIELD = PatternDetector(
    id="where-field",
    entity="LOCATION",
    # The value of a `Where:` line (a calendar entry, a form): `Where: Kuusamo Country Club`
    # reports `Kuusamo`; not `Where: Zoom`, `Where: online`, a link or an address.
    pattern=LinearRegex(
        r"(?im)^[ \t]*where[ \t]*:[ \t]*(?P<m>[\pL][^\n:/@]{1,78}?)[ \t]*$"
    ),
    score=0.6,
    keywords=("where",),
    validate=_where_value,
    members=_venue_place,
    group=1,
)

# A postcode after the place: `8380`, `81028`, `2950-001`, `162 65`; a year (1900-2099) alone
# is not one (`in Windows 2000`).
_POSTCODE = r"(?:[0-9]{3,5}(?:[ -][0-9]{2,3})?)"
_YEAR = re.compile(r"(?:19|20)[0-9]{2}\Z")
_PLACE_AND_POSTCODE = re.compile(r"(.*?)[ \t]+([0-9][0-9 \t-]*)\Z")


def _place_before_postcode(value: str) -> bool:
    """Capitalised words that are not organisation, time or function words (`Room`, `March`,
    `The`) nor a short acronym (`IEEE 754`, `RFC 3339`), before a number that is not a year."""
    split = _PLACE_AND_POSTCODE.match(value)
    if split is None:
        return False
    place, number = split.group(1), split.group(2)
    words = [w.lower() for w in place.split()]
    if len(words) == 1 and place.isupper() and len(place) <= 5:
        return False
    return (words[0] not in STOP_WORDS and not any(w in NOT_A_NAME for w in words)
            and not any(c.isdigit() for c in place) and not _YEAR.match(number))


PLACE_BEFORE_POSTCODE = PatternDetector(
    id="place-before-postcode",
    entity="LOCATION",
    # A place after `in`, `at`, `from`, `to`, `near` and before a postcode, both reported:
    # `our office in Kleinbettingen 8380`, `based in Quinta do Anjo 2950-001`.
    pattern=LinearRegex(
        rf"(?i:\b(?:in|at|from|to|near))[ \t]+(?P<m>{PLACE_NAME}[ \t]+{_POSTCODE})"
        rf"(?:[^{WORD}.,-]|[.,](?:[^{WORD}]|\z)|\z)"
    ),
    score=0.6,
    keywords=("in ", "at ", "from ", "to ", "near "),
    validate=_place_before_postcode,
    group=1,
    min_digits=3,
)
