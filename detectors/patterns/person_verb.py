"""PERSON from what follows a name at a sentence's start: a verb only people are the subject of
(`Ravenna Oxley lives on …`, `Tuulikki began writing as a teenager`, `Oskarine told me`), or
a question put to them (`Hedvika, can I please speak to …`).

Names no list holds are found this way; the word must be one that no list explains otherwise
(an everyday word, a place, a people, an organisation word, a brand), and the finding yields to
NER where the model found an entity over it.
"""

from __future__ import annotations

from detectors.gazetteer import BRAND_SURNAMES, CITIES, NAME_WORD
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.nationality import is_people
from detectors.patterns.person_surname import _plain_name_word

# Verbs and phrases whose subject is a person. Not `is`, `has`, `runs`, `says`: software and
# companies are said to be reliable, to run and to say things too.
_PERSON_VERB = (
    r"(?:lives|lived|grew up|was born|is married|got married|married|passed away|died"
    r"|began writing|started writing|began (?:his|her|their) career|began working"
    r"|had given|gave (?:me|him|her|us|them)|told (?:me|him|her|us|them)|asked (?:me|him|her|us|them)"
    r"|replied|explained to|wrote to|called me|emailed me|texted me"
    r"|will be (?:talking|speaking|presenting|joining|attending)"
    r"|is (?:my|our|his|her|their) (?:friend|brother|sister|mother|father|son|daughter|wife"
    r"|husband|partner|cousin|uncle|aunt|colleague|neighbour|neighbor|boss|manager|doctor))\b"
)
# Questions put to someone named first: `Hedvika, can I …`, `Hedvika, could you …`.
_ADDRESSED = r",[ \t]+(?:can|could|would|will) (?:I|you|we)\b"
# A sentence's start: the leaf's, a line's, or after a full stop, `!` or `?`.
_START = r"(?:(?:\A|\n)[ \t>*•-]*|[.!?][\"'’)]?[ \t]+)"


def _unexplained_name(value: str) -> bool:
    """Capitalised words no list explains otherwise: not an everyday word (`Security`),
    a place (`Lisbon`), a people (`Danes`), an organisation word or a brand (`Apache`)."""
    words = value.split()
    return (all(_plain_name_word(w) and w.lower() not in BRAND_SURNAMES and not is_people(w)
                for w in words)
            and value.casefold() not in CITIES and words[-1].casefold() not in CITIES)


PERSON_BEFORE_VERB = PatternDetector(
    id="person-before-verb",
    entity="PERSON",
    # `Ravenna Oxley lives on Tarn Road 4`, `Tuulikki began writing as a teenager`, `Hedvika, can
    # I please speak to …`: one or two capitalised words at a sentence's start before a verb
    # only people are the subject of, or a question put to them.
    pattern=LinearRegex(
        rf"{_START}(?P<m>)({NAME_WORD}(?:[ \t]+{NAME_WORD})?)"
        rf"(?:[ \t]+{_PERSON_VERB}|{_ADDRESSED})(?:[^{WORD}]|\z)"
    ),
    score=0.5,
    validate=_unexplained_name,
    group=2,
    defers_to_ner=True,
)
