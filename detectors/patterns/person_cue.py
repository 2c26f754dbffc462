from detectors.gazetteer import (
    INITIAL,
    NAME_WORD,
    SURNAMES,
    is_given_name,
    is_initial,
    is_name_word,
)
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

_NAME = rf"({NAME_WORD}(?:[ \t]+(?:{INITIAL}|{NAME_WORD})){{0,3}})"
_AFTER_NAME = rf"(?:[^{WORD}@]|\z)"
# Words after which a capitalised word is a person's name.
_STRONG_CUE = (
    r"(?i:\b(?:my name is|my name's|(?:full |first |last |customer |patient )?name:"
    r"|(?:first|last|maiden|family|middle) name (?:is|was)|(?:last|family) name\?|surname(?: is|:|\?)"
    r"|call me|dear|signed,?|regards,|sincerely,|(?:called|named)(?: him| her| them| me| us)?"
    r"|attn:?|attention:"
    r"|(?:mr|mrs|ms|mx|dr|prof)\.?|miss))"
)
# Words after which a capitalised word is a name when it is a known given name or full name.
_SOFT_CUE = (
    r"(?i:\b(?:i'm|i am|this is|hi|hello|thanks,?|thank you,?|patient|customer|contact"
    r"|cardholder|beneficiary|speak (?:to|with)|talk to|follow up with|ask for|meet with))"
)


def _name(value: str) -> bool:
    words = value.split()
    return (is_name_word(words[0]) and not is_initial(words[-1])
            and all(is_name_word(w) or is_initial(w) for w in words))


def _known_name(value: str) -> bool:
    words = value.split()
    return _name(value) and (is_given_name(words[0])
                             or (len(words) >= 2 and words[-1].lower() in SURNAMES))


PERSON_AFTER_NAME_CUE = PatternDetector(
    id="person-name-cue",
    entity="PERSON",
    # `My name is Zumreta`, `Dear Sigurður,`, `Mr. Kovačević`, `Name: Lene T Frandsen`.
    pattern=LinearRegex(rf"(?P<m>{_STRONG_CUE}[ \t]*\n?[ \t]*{_NAME}){_AFTER_NAME}"),
    score=0.75,
    keywords=("name", "surname", "call me", "dear", "signed", "regards", "sincerely", "called", "attn",
              "attention", "mr", "ms", "mx", "dr", "prof", "miss"),
    validate=_name,
    group=2,
)

PERSON_AFTER_SOFT_CUE = PatternDetector(
    id="person-soft-cue",
    entity="PERSON",
    # `follow up with Ingrid Lövgren`, `customer Dana Whitfield`, `Hi Teresa`: after a weaker
    # cue, only a known given name or a name ending in a known surname.
    pattern=LinearRegex(rf"(?P<m>{_SOFT_CUE}[ \t]+{_NAME}){_AFTER_NAME}"),
    score=0.6,
    validate=_known_name,
    group=2,
)
