import re

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.linear import LETTER, WORD, LinearRegex
from detectors.pattern import PatternDetector


def _street(value: str) -> list[tuple[int, int]]:
    """The address without the words of the sentence before it: after the last stop word
    before the house number (`to Kuuse 53 Apt. 4` -> `Kuuse 53 Apt. 4`); nothing when no
    street name is left (`is 53 Apt. 4`)."""
    words = [(m.start(), m.group()) for m in _WORDS.finditer(value)]
    number = max((i for i, (_, w) in enumerate(words)
                  if w[0].isdigit() and i + 1 < len(words) and not words[i + 1][1][0].isdigit()),
                 default=0)
    first = 0
    for index, (_, word) in enumerate(words[:number]):
        if word.lower() in STOP_WORDS:
            first = index + 1
    name_words = [w for _, w in words[first:number] if not w[0].isdigit()]
    return [(words[first][0], len(value))] if name_words else []


_WORDS = re.compile(r"\S+")


STREET_BEFORE_UNIT = PatternDetector(
    id="street-before-unit",
    entity="LOCATION",
    # A street in any language, however its name ends, when a house number and a unit follow:
    # `Kuuse 53 Apt. 641`, `Dalmatinova 43, Suite 274`, `trg revolucije 17 apt. 858`, with a
    # building number before it. The unit after a house number is the evidence; street-type
    # words are not needed (many streets have none: `Spinatsch 94`).
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}])(?P<m>(?:\d{{1,6}}[ \t]+)?(?:[{LETTER}][{WORD}'’.-]*[ \t]+){{1,4}}"
        r"\d{1,5}[A-Za-z]?\.?,?\s{1,4}(?i:apt\.?|apartment|suite|ste\.|unit|flat)[ \t]*#?"
        r"\d{1,5}[A-Za-z]?)\b",
        context_before=True,
    ),
    score=0.7,
    keywords=("apt", "apartment", "suite", "ste.", "unit", "flat"),
    members=_street,
    group=1,
    min_digits=2,
)
