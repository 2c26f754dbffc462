import re

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import CAPITALISED_ABBREVIATION
from detectors.linear import LETTER, WORD, LinearRegex
from detectors.pattern import PatternDetector

# Words of a sentence that lead to an address but are not part of it.
_LEAD_WORDS = STOP_WORDS | {"address", "addresses", "located", "lives", "live", "living",
                            "ship", "send", "deliver", "mail", "billing", "shipping", "it's"}


def _street(value: str) -> list[tuple[int, int]]:
    """The address without the words of the sentence before it: after the last stop word
    before the first number (`to Tammsaare 18 Apt. 4` -> `Tammsaare 18 Apt. 4`, `is 517 46 Wren
    Hollow Apt. 1` -> `517 46 Wren Hollow Apt. 1`); nothing when no street name is left before the
    unit (`is 18 Apt. 4`)."""
    words = [(m.start(), m.group()) for m in _WORDS.finditer(value)]
    unit = max(i for i, (_, w) in enumerate(words) if _UNIT_WORD.match(w))
    number = next((i for i, (_, w) in enumerate(words) if w[0].isdigit()), unit)
    first = 0
    for index, (_, word) in enumerate(words[:number]):
        if word.lower() in _LEAD_WORDS:
            first = index + 1
    name_words = [w for _, w in words[first:unit] if not w[0].isdigit()]
    return [(words[first][0], len(value))] if name_words else []


_WORDS = re.compile(r"\S+")
_UNIT_WORD = re.compile(r"(?i)(?:apt|apartment|suite|ste\.|unit|flat)")
_NAME = rf"[{LETTER}][{WORD}'’.-]*"
# A word after the house number: a capitalised name (`Milovan Heights`, `van Lier Meadows`).
_NAME_AFTER = rf"(?:{CAPITALISED_ABBREVIATION}|van|von|de|der|den|la|le|du|do|da|di)"
# A list's bullet before the unit's line (`• `, `- `, or what is left of one: `??? `).
_BULLET = r"(?:[^\pL\pN\s]{1,3}[ \t]+)?"
# Without a house number after the name, only an apartment or a suite is evidence enough.
_APARTMENT = r"(?i:apt\.?|apartment|suite|ste\.)[ \t]*#?\d{1,5}[A-Za-z]?"
_UNIT = r"(?i:apt\.?|apartment|suite|ste\.|unit|flat)[ \t]*#?\d{1,5}[A-Za-z]?"

STREET_BEFORE_UNIT = PatternDetector(
    id="street-before-unit",
    entity="LOCATION",
    # A street in any language, however its name ends, when a unit follows its house number
    # (`Tammsaare 18 Apt. 272`, `trg svobode 9 apt. 412`), the words after it (`Lindgården 37
    # Milovan Heights\n Suite 615`, `Strada Comunale 19 47 Suite 306`) or, with the number
    # first, its name (`517 46 Wren Hollow Apt. 238`, `261 58 rue des Capucins Apt. 419`).
    # The unit is the evidence; street-type words are not needed (many streets have none:
    # `Runcalier 27`). A building number may come first.
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}])(?P<m>(?:\d{{1,6}}[ \t]+)?(?:{_NAME}[ \t]+){{1,4}}"
        rf"\d{{1,5}}[A-Za-z]?\.?(?:[ \t]+(?:{_NAME_AFTER}|\d{{1,5}})){{0,3}},?\s{{1,4}}{_BULLET}{_UNIT}"
        rf"|(?:\d{{1,6}}[ \t]+){{1,2}}(?:{_NAME}[ \t]+){{0,4}}{_NAME}\s{{1,4}}{_APARTMENT})\b",
        context_before=True,
    ),
    score=0.7,
    keywords=("apt", "apartment", "suite", "ste.", "unit", "flat"),
    members=_street,
    group=1,
    min_digits=2,
)
