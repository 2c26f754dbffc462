import re

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import CAPITALISED_ABBREVIATION
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

_CAP = CAPITALISED_ABBREVIATION
_ANY = r"[^\s.,;:!?()\"<>]+"
# What ends a clause after an address.
_END = r"[ \t]*(?:[.;!?,)]|\n|\z|[ \t](?:in|for|and|but|by|since|until|last|when)\b)"
# Street words written in lower case inside a name (`ul. Słoneczna`, `Andrássy u. 15.`, `Rúa da Raíña`).
_PARTICLE = r"(?:ul\.|al\.|os\.|pl\.|u\.|do|da|de|del|della|delle|di|du|la|le|van|von)"
_WORDS = re.compile(r"\S+")
_YEAR = re.compile(r"(?:1[89]|20)\d\d\.?")


def _without_sentence_words(value: str) -> list[tuple[int, int]]:
    """The street without the sentence's words before it (`the 12 Rue X` -> `12 Rue X`);
    nothing for a year (`Paris and Rome 2019`) or a sentence after the number."""
    words = list(_WORDS.finditer(value))
    if _YEAR.fullmatch(words[-1].group()):
        return []
    number = next((i for i, w in enumerate(words) if w.group()[0].isdigit()), len(words))
    if any(w.group().lower() in STOP_WORDS for w in words[number + 1:]):
        return []  # `page 12 of the street guide`
    first = next((w for w in words if w.group().lower() not in STOP_WORDS), None)
    return [] if first is None else [(first.start(), len(value))]


STREET_NAMED = PatternDetector(
    id="street-named",
    entity="LOCATION",
    # A street named in prose, without a street type this project knows:
    # - before the word `street` itself: `lives on Kálvária 14 street`, `refers to
    #   C/ Mayor 12 street`, `enter on váci út 41. st.`;
    # - with its house number, after `is on`, `lives at`, `side of`: `The bakery is on Na
    #   Příkopě 1283.` (two or three capitalised words, so not `is on Windows 11`);
    # - a capitalised name before `Street`, `Avenue`, `Road` after `on`/`at`: `on Elm Grove
    #   Street`;
    # - two streets, the second numbered, after `at`/`to`/`is` or alone on a line: `at Leona and
    #   Hafnarstræti 23`, `Milan and ul. Słoneczna 17`.
    pattern=LinearRegex(
        rf"(?m)\b(?i:on|at|to|of|in)[ \t]+((?:{_ANY}[ \t]+){{0,4}}\d{{1,5}}[A-Za-z]?\.?"
        rf"(?:[ \t]+{_ANY}){{0,4}}?)[ \t]+(?:street|st\.)(?:[^{WORD}]|\z)"
        rf"|\b(?:is|are|lives?|living|located|situated|side|stop|enter|meet)[ \t]+(?:on|at|of)"
        rf"[ \t]+({_CAP}(?:[ \t]+{_CAP}){{1,2}}[ \t]+\d{{1,5}}[A-Za-z]?){_END}"
        rf"|\b(?:on|at)[ \t]+((?:{_CAP}[ \t]+){{1,3}}(?:Street|Avenue|Road|Boulevard|Lane))\b"
        rf"|(?:\b(?:at|to|is)[ \t]+|^)({_CAP}[ \t]+and[ \t]+(?:{_CAP}|{_PARTICLE})"
        rf"(?:[ \t]+(?:{_CAP}|{_PARTICLE})){{0,3}}[ \t]+\d{{1,5}}[A-Za-z]?\.?){_END}"
    ),
    score=0.6,
    keywords=("street", "st.", "road", "avenue", "boulevard", "lane", " on ", " at ", " of ",
              " to ", " is ", " and "),
    context_keys=("address", "street", "addr"),
    members=_without_sentence_words,
    group=-1,
)
