"""PERSON at the top of a contact card or a signature: a line that is only a name, with a job
title, an address or a phone or email line within the next three lines.

    Theodora Hutchins            tamsin r whitcombe          > Radomir Kowalczyk
    Senior Payroll Analyst       labor relations director    > Kowalczyk & Sons
    Acme Logistics               ...                         > 14 Birch Lane

The name's words need not be in any list: the card's shape is the evidence. They must not be
everyday English words (`Customer Support`, `Order Summary`), organisation words or a place.
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import CITIES, COUNTRIES, EVERYDAY_WORDS, NOT_A_NAME
from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

# Small words inside names: `Maike van der Berg`, `Inês da Costa`.
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "da", "das", "do",
                        "dos", "di", "du", "la", "le", "ten", "ter", "bin", "ibn", "al", "el"})
_MARKS = r"(?:[>?*•·|-]+[ \t]*)?"
_WORD = r"[\pL][\pL'’-]*\.?"
# Job titles, address lines, phone and email lines that follow a name on a card.
_JOBS = (
    r"manager|director|driver|engineer|nurse|officer|assistant|analyst|consultant|developer"
    r"|designer|teacher|accountant|clerk|technician|specialist|coordinator|administrator"
    r"|executive|president|founder|lawyer|attorney|doctor|physician|soldier|scientist"
    r"|architect|editor|writer|representative|supervisor|operator|mechanic|electrician"
    r"|plumber|pilot|chef|librarian|pharmacist|therapist|surgeon|professor|lecturer|intern"
    r"|banker|auditor|recruiter|paralegal|secretary|cashier|receptionist|ceo|cto|cfo|coo"
)
_FOLLOWS = (
    rf"[^\n]*\b(?i:{_JOBS})s?\b"
    r"|[ \t]*" + _MARKS + r"(?:[0-9]+[A-Za-z]?[ \t,]+[\pL0-9]"
    r"|(?i:psc|unit|box|apt|suite|p\.?[ \t]?o\.?[ \t]+box|phone|tel|mobile|cell|email|e-mail)\b)"
)


def _name_line(value: str) -> bool:
    """2-4 words written alike (capitalised, capitals or lower case), initials and particles
    aside two of them at least; none an everyday word, a function word or an organisation
    word; not a country or a city."""
    words = value.split()
    core = [w for w in words if w.lower() not in _PARTICLES and len(w.rstrip(".")) > 1]
    if len(core) < 2 or len(words) > 5 or len(words[0].rstrip(".")) == 1:
        return False
    if not (all(w[0].isupper() for w in core) or all(w.islower() for w in core)):
        return False
    lowered = [w.lower().rstrip(".") for w in core]
    if any(w in EVERYDAY_WORDS or w in STOP_WORDS or w in NOT_A_NAME for w in lowered):
        return False
    whole = " ".join(words)
    return whole.casefold() not in CITIES and whole not in COUNTRIES


PERSON_CARD = PatternDetector(
    id="person-card",
    entity="PERSON",
    # The first line of a contact card or signature block (see the module's docstring).
    pattern=LinearRegex(
        rf"(?m)^[ \t]*{_MARKS}(?P<m>{_WORD}(?:[ \t]+{_WORD}){{1,4}})[ \t]*\n"
        rf"(?:[ \t]*\n)?(?:[^\n]*\n(?:[ \t]*\n)?){{0,2}}?(?:{_FOLLOWS})"
    ),
    score=0.6,
    keywords=("\n",),
    validate=_name_line,
    group=1,
)
