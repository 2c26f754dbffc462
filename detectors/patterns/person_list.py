from collections.abc import Sequence

from detectors.gazetteer import CITIES, NAME_WORD, SURNAMES, is_given_name, is_name_word
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.person_surname import surname_evidence

_START = rf"(?:^|[^{WORD}'’@./-])"
# What may follow a name: not a letter, an apostrophe or a hyphen, nor `.` and a letter.
_END = rf"(?:[^{WORD}'’@.-]|\.(?:[^{WORD}]|\z)|\z)"
_MEMBER = NAME_WORD  # the end of a member inside the list is a comma or a blank
_MEMBERS = LinearRegex(rf"(?P<m>{NAME_WORD}){_END}")


def _spans(value: str) -> Sequence[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _MEMBERS.finditer(value)]


def _names(value: str) -> bool:
    """Every member reads as a name and one is a known given name: `Sandvik, Michael and Tolliver`,
    not `Accept, Content-Type and Authorization` or `Sales and Marketing`; a pair needs both
    known as names (`Anna and Hodge`, not `Michael and Support`). Or every member is a surname
    that is not an everyday word, a place or a brand, or is written in letters beyond English
    (`Kowalczyk, Jablonski and Castellanos`, `Nyström and Castellanos`)."""
    words = [value[a:b] for a, b in _spans(value)]
    if not all(is_name_word(w) and not w.isupper() for w in words):
        return False
    if all(w.casefold() in CITIES for w in words):  # `Paris, Berlin and Madrid`
        return False
    if all(map(surname_evidence, words)):
        return True
    given = [is_given_name(w) for w in words]
    if len(words) == 2:
        return any(given) and all(g or w.lower() in SURNAMES for g, w in zip(given, words))
    return any(given)


PERSON_LIST = PatternDetector(
    id="person-list",
    entity="PERSON",
    # One-word names in a list joined by commas and `and`/`&`, once one of them is a known given
    # name: `our 3 founders: Sandvik, Michael and Tolliver`, `They had 6: Zlatomira, Mary,
    # Juliana, Beatrice, Renata and Colleen`. Each name is its own finding.
    pattern=LinearRegex(
        rf"{_START}(?P<m>{_MEMBER}(?:,[ \t]+{_MEMBER})*,?[ \t]+(?:and|&)[ \t]+{_MEMBER}){_END}",
        context_before=True,
    ),
    score=0.6,
    keywords=(" and ", " & "),
    validate=_names,
    group=1,
    members=_spans,
)
