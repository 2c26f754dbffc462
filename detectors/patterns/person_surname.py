"""PERSON from a surname: a capitalised name whose last word is a known surname that is not an
everyday English word (`Radomir Kowalczyk`, `Ines Castellanos`), or that is written in letters
beyond English (`Jolanta Wiśniewska`); and a known surname standing alone mid-sentence
(`says Kowalczyk`, `directed by Kowalczyk`).

Many surnames are also places, products or companies, so both yield to NER where the model
found an entity over them, and words that name a place (countries, cities), a people, an
organisation or a time are never evidence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import (
    BRAND_SURNAMES,
    CITIES,
    COUNTRIES,
    DEMONYMS,
    EVERYDAY_WORDS,
    GIVEN_NAMES,
    NAME_WORD,
    NOT_A_NAME,
    SURNAMES,
    is_name_word,
)
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

_CONTRACTION = re.compile(r"\A\w['’]\w{1,2}\Z")  # `I'm`, `I've`: not `O'Neil`
_PARTS = re.compile(r"[-'’]")
_START = rf"(?:^|[^{WORD}'’@./&-])"
_END = rf"(?:[^{WORD}'’@&-]|['’]s\b|\z)"
_BRANDS = BRAND_SURNAMES
_COUNTRY_WORDS = frozenset(w.lower() for name in COUNTRIES | DEMONYMS for w in name.split())


@lru_cache(maxsize=8192)  # words repeat across leaves; bounded (leaves are untrusted)
def _plain_name_word(word: str) -> bool:
    """A capitalised word that could be part of a name and says nothing else: not an everyday
    word (`Green`, `Weekly`), a place, a people, an organisation or a time."""
    lowered = word.lower()
    return (is_name_word(word) and _capitalised(word) and not _CONTRACTION.match(word) and lowered not in EVERYDAY_WORDS
            and lowered not in STOP_WORDS and lowered not in NOT_A_NAME
            and lowered not in _COUNTRY_WORDS)


def _capitalised(word: str) -> bool:
    """A capital first, then lower case in each part: `Wojcik`, `O'Neil`; not
    `KRaft`, `WOJCIK`."""
    return word[:1].isupper() and not any(c.isupper() for part in _PARTS.split(word)
                                          for c in part[1:])


def _known_surname(word: str) -> bool:
    return word.lower() in SURNAMES


def surname_name(value: str) -> bool:
    """2-3 capitalised words, none a place or an everyday word, the last a known surname or
    one of them written in letters beyond English: `Radomir Kowalczyk`, `Jolanta Wiśniewska`."""
    words = value.split()
    if not all(_plain_name_word(w) for w in words) or " ".join(words).casefold() in CITIES:
        return False
    return _known_surname(words[-1]) or any(not w.isascii() for w in words)


SURNAME_NAME = PatternDetector(
    id="person-surname-name",
    entity="PERSON",
    # `Radomir Kowalczyk`, `Jolanta Wiśniewska`, `Thorvald Jablonski's`: see `surname_name`.
    pattern=LinearRegex(
        rf"{_START}(?P<m>)({NAME_WORD}(?:[ \t]+{NAME_WORD}){{1,2}}){_END}",
        context_before=True,
    ),
    score=0.55,
    validate=surname_name,
    group=2,
    defers_to_ner=True,
)


def surname_evidence(word: str) -> bool:
    """A capitalised word that is a known surname (not an everyday word, a place or a brand)
    or a name word written in letters beyond English: `Kowalczyk`, `Lövgren`."""
    return (_plain_name_word(word) and word.lower() not in _BRANDS
            and (_known_surname(word) or not word.isascii()))


def lone_surname(value: str) -> bool:
    """A known surname that is not a given name, a place or an everyday word: `Kowalczyk`."""
    return (_plain_name_word(value) and _known_surname(value) and value.lower() not in _BRANDS
            and value.casefold() not in CITIES
            and value.lower() not in GIVEN_NAMES and len(value) > 3)


LONE_SURNAME = PatternDetector(
    id="person-lone-surname",
    entity="PERSON",
    # A known surname alone, after a lower-case word (not at a sentence's start, not inside a
    # run of capitalised words): `says Kowalczyk.`, `directed by Kowalczyk`.
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}'’@./&-])[a-z]+[ \t]+(?P<m>{NAME_WORD})(?:['’]s)?"
        rf"(?:[ \t]+[a-z0-9(]|[ \t]*[.,;:!?)\"'’\n]|\z)",
        context_before=True,
    ),
    score=0.5,
    validate=lone_surname,
    group=1,
    defers_to_ner=True,
)
