"""Given names and surnames shipped with the package, for evidence that a capitalised word is a
person's name (never downloaded; see the header of each file in `detectors/data/`).

Given names that are also ordinary English words (`Will`, `May`, `Rose`, `Grant`) are not
evidence on their own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.linear import LETTER, WORD

_DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> frozenset[str]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


# Census given names that are everyday words, months, days or titles.
COMMON_WORD_NAMES = _load("common_word_names.txt")
GIVEN_NAMES = frozenset(n for n in (_load("given_names.txt") | _load("given_names_intl.txt"))
                        - COMMON_WORD_NAMES if len(n) > 2 and n not in STOP_WORDS)
SURNAMES = _load("surnames.txt") | _load("surnames_2010.txt") | _load("surnames_intl.txt")

# Lower-case words that are frequent in English and mostly written in lower case (`hope`,
# `frank`, `black`): a name written in lower case is told from them by this list.
EVERYDAY_WORDS = _load("everyday_words.txt")

# Country names (ISO 3166-1), as written: `Slovenia`, `Czech Republic`.
COUNTRIES = _load("countries.txt")

# Demonyms of countries (`Ecuadorean`, `South African`) and names of peoples, faiths and
# political groups (`Swede`, `Buddhist`); in `PEOPLES`, a trailing `*` marks a word that is
# reported only when capitalised.
DEMONYMS = _load("demonyms.txt")
PEOPLES = _load("peoples.txt")

_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")


def fold_place(name: str) -> str:
    """A place's name as the lists hold it: case-folded, and in Greek script without its
    accents (capitals drop them: `ΠΑΦΟΣ` is `Πάφος`), the increment sign read as a delta
    (`∆` for `Δ`, as some keyboards and fonts give it)."""
    folded = name.casefold()
    if not _GREEK.search(folded):
        return folded
    folded = unicodedata.normalize("NFD", folded.replace("\u2206", "δ"))
    return unicodedata.normalize("NFC", "".join(c for c in folded if not unicodedata.combining(c)))


def _without_marks(name: str) -> str:
    """`name` as the detectors' normalised view writes it: combining marks written as
    characters of their own are left out (`H̱olon` reads `Holon`; detectors.normalise)."""
    return "".join(c for c in name if unicodedata.category(c) not in ("Mn", "Me"))


def _places(names: Iterable[str]) -> frozenset[str]:
    return frozenset(key for name in names
                     for key in {name.casefold(), fold_place(name),
                                 _without_marks(name).casefold()})


# Cities and towns of 15,000 people or more (GeoNames), case-folded (Greek names also
# without accents, see `fold_place`): `tromsø`, `πάφος`, `παφος`.
CITIES = _places(_load("cities.txt"))
# Towns and villages of 1,000 people or more (GeoNames) not in CITIES, case-folded; everyday
# words and given names left out: evidence only after a word that introduces a place.
TOWNS = _places(_load("towns.txt"))

# Surnames that alone usually name a company, a product or a technology (`Ford`, `Apache`).
BRAND_SURNAMES = _load("brand_surnames.txt")

# Words that mark an organisation, a place, a product or a time rather than a person.
NOT_A_NAME = _load("not_a_name.txt")


def _title_case(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or not word[1:].isupper() or len(word) <= 2)


def is_given_name(word: str) -> bool:
    return _title_case(word) and word.lower() in GIVEN_NAMES


def is_name_word(word: str) -> bool:
    """A capitalised word that could be part of a name: `Lövgren`, `O'Neil`, not `The`, `Inc`."""
    lowered = word.lower().rstrip(".")
    return (_title_case(word) and any(c.isalpha() for c in word)
            and lowered not in STOP_WORDS and lowered not in NOT_A_NAME)


def is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 and word[0].isupper()


def looks_like_full_name(words: Sequence[str], *, surname_is_evidence: bool = False) -> bool:
    """2-4 name words (initials allowed in the middle) with evidence of a person: a known given
    name first (`Ingrid Lövgren`), a middle initial (`Rustem B Kozhevin`) or a known surname last
    (`Clodomiro Barrientos`, only with `surname_is_evidence`: many surnames are English words, as in
    `Entertainment Weekly`); not `Grant Thornton Inc`."""
    if not 2 <= len(words) <= 4 or not is_name_word(words[0]) or is_initial(words[-1]):
        return False
    if not all(is_name_word(w) or is_initial(w) for w in words[1:]):
        return False
    return (is_given_name(words[0]) or any(is_initial(w) for w in words[1:-1])
            or (surname_is_evidence and words[-1].lower() in SURNAMES))


# A regex character class of upper-case letters (Latin, Greek, Cyrillic), for name patterns.
UPPER = "".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper() and c.isalpha())
# One capitalised name word (no possessive `'s`): `Lövgren`, `O'Neil`, `Jean-Luc`. For RE2
# (`detectors.linear`): a part after a hyphen or apostrophe is two letters or more, or one
# letter other than `s`.
NAME_WORD = (rf"[{UPPER}][{LETTER}]*"
             rf"(?:[-'’](?:[{LETTER}]{{2,}}|[^\P{{L}}s]|[\p{{Nl}}\p{{No}}]))*")
# An initial: `H.` or `H` (what may follow it is the pattern's to say).
INITIAL = rf"[{UPPER}]\.?"

# A capitalised word of any script, hyphens and apostrophes inside: `Kraków`, `Saint-Étienne`,
# `L'Aquila`, `KNARSWOLD`; the increment sign stands for a Greek delta (`ΠΟΛΕΜΙ∆ΙΑ`).
CAPITALISED_WORD = rf"[{UPPER}][{WORD}'’\x{{2206}}-]*"
# The same with full stops inside or after it, as abbreviations in street and place names are
# written: `St.`, `Mt.`, `Jos.`.
CAPITALISED_ABBREVIATION = rf"[{UPPER}][{WORD}'’.\x{{2206}}-]*"
# Small words inside a place's name: `Morella del Pinar`, `Stratford upon Avon`, `Ústí nad Labem`.
PLACE_PARTICLE = r"(?:de|del|della|di|da|do|dos|la|le|les|van|von|am|an|im|upon|sur|nad|u)"
# A place's name: one to four capitalised words, a particle between two of them
# (`Valdetorres`, `Fontelas de Baixo`).
PLACE_NAME = rf"{CAPITALISED_WORD}(?:[ \t]+(?:{PLACE_PARTICLE}[ \t]+)?{CAPITALISED_WORD}){{0,3}}"


def names_pattern(names: Iterable[str]) -> str:
    """The names as a regex alternation, longest first (`Guinea-Bissau` is tried before
    `Guinea`), a blank inside a name matching any run of blanks and tabs (`Czech  Republic`)."""
    return "|".join(re.escape(name).replace(r"\ ", r"[ \t]+")
                    for name in sorted(names, key=len, reverse=True))
