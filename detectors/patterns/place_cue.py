import re

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import EVERYDAY_WORDS, GIVEN_NAMES, NOT_A_NAME, PLACE_NAME
from detectors.linear import LOWER_CASE_LEAF, WORD, LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.nationality import is_people

# Words after which a capitalised word names a place: someone travels, lives or was born there.
# Not `moved to` or `returned to`: tools move messages to `Trash` and jobs return to `PENDING`.
_CUE = (
    r"(?i:\b(?:fl(?:ew|y|ies|ying)|travel(?:l?ed|l?ing|s)?|relocat(?:ed|ing)|commut(?:es|ed|ing)"
    r"|emigrated|moved (?:here|back)) to"
    r"|\b(?:grew up|born|raised|based|headquartered|lives|living|resides|residing|settled"
    r"|stationed|stranded|staying|stays) in"
    r"|\b(?:moved(?: here| back)?|originally|hails|relocated|flew in|emigrated) from"
    r"|\barrived (?:in|at)|\buniversity of)"
)


def _place(value: str) -> bool:
    """Not a stop word, a weekday or month, an organisation (`the Bank`) or a pronoun."""
    words = [w.lower() for w in value.split()]
    return words[0] not in STOP_WORDS and not any(w in NOT_A_NAME for w in words)


PLACE_AFTER_CUE = PatternDetector(
    id="place-cue",
    entity="LOCATION",
    # `flew to KNARSWOLD`, `grew up in SUND`, `based in HAMINA`, `moved here from Skærbæk`,
    # `University of Nicosia`: a capitalised word after a verb of travel or residence.
    pattern=LinearRegex(rf"(?P<m>{_CUE}[ \t]+({PLACE_NAME}))(?:[^{WORD}@/]|\z)"),
    score=0.6,
    keywords=(" to ", " in ", " from ", "arrived", "university of"),
    validate=_place,
    group=2,
)

# Where someone is or goes, said less firmly: `I'm in X`, `a trip to X`, `visiting X`, `our
# holiday in X`, `my home town X`. These words also come before a team, a product or a
# person (`I'm in Finance`, `visiting Anna`), so every word of the place must be one no list
# explains otherwise (see `_unknown_place`).
_WEAK_CUE = (
    r"(?i:\b(?:I['’]m|I am|we['’]re|we are|holiday|holidays|vacation|vacationing|honeymoon"
    r"|weekend|summer|winter) in"
    r"|\b(?:trip|journey|flight|flights|ticket|tickets|ferry) to"
    r"|\b(?:visited|visiting|home ?town|home city|native of|citizen of|mayor of|streets of"
    r"|outskirts of))"
)


def _unknown_place(value: str) -> bool:
    """Every word a name no list explains otherwise: not an everyday, stop or organisation
    word (`Finance`, `Slack`, `Progress`), a given name (`visiting Anna`), a people
    (`Germans`) or an acronym of three letters or fewer (`in HR`)."""
    words = value.split()
    if len(words) == 1 and value.isupper() and len(value) <= 3:
        return False
    for word in words:
        plain = word.strip("'’")
        lowered = plain.lower()
        if (lowered in EVERYDAY_WORDS or lowered in STOP_WORDS or lowered in NOT_A_NAME
                or lowered in GIVEN_NAMES or is_people(plain)):
            return False
    return True


PLACE_AFTER_WEAK_CUE = PatternDetector(
    id="place-weak-cue",
    entity="LOCATION",
    # `I'm in Ravenmoor for the week`, `a trip to ÖSTERBY`, `visiting Kallavesi`: a capitalised
    # name no list explains otherwise after a word that says where someone is or goes. Yields
    # to NER where the model found an entity over it.
    pattern=LinearRegex(rf"(?P<m>{_WEAK_CUE}[ \t]+({PLACE_NAME}))(?:[^{WORD}@/'’]|\z)"),
    score=0.5,
    keywords=(" in ", " to ", "visited", "visiting", "town", "city", " of "),
    validate=_unknown_place,
    group=2,
    defers_to_ner=True,
)

_LOWER_CUE = re.compile(
    r"\b(?:fl(?:ew|y|ies|ying)|travel(?:l?ed|l?ing|s)?|relocat(?:ed|ing)|emigrated"
    r"|trip|flight|train|ferry) to"
    r"|\b(?:grew up|born|raised|based|lives|living|resides|residing|settled|i['’]m|i am) in"
    r"|\b(?:originally|hails|emigrated) from|\bvisit(?:ed|ing)")
_LOWER_NAME = re.compile(r"[ \t]+([^\W\d_][^\W\d_'’-]*(?:-[^\W\d_]+)*)(?=[\s.,;:!?)]|\Z)")


def _lower_case_places(text: str) -> list[tuple[int, int]]:
    """In a leaf with no capital letter: the word after a verb of travel or residence when
    no list explains it otherwise (`we flew to kallavesi on monday`; not `lives in fear`)."""
    spans: list[tuple[int, int]] = []
    for cue in _LOWER_CUE.finditer(text):
        name = _LOWER_NAME.match(text, cue.end())
        if name is None or len(name.group(1)) < 4:
            continue
        word = name.group(1)
        if word.isascii() and not _unknown_place(word):
            continue
        if not word.isascii() and (word in EVERYDAY_WORDS or is_people(word)):
            continue
        spans.append((name.start(1), name.end(1)))
    return spans


PLACE_AFTER_CUE_LOWER_CASE = PatternDetector(
    id="place-cue-lower-case",
    entity="LOCATION",
    # `mr. hale flew to kallavesi on friday`, `she grew up in ravenmoor`: the word after a verb
    # of travel or residence in a leaf written all in lower case, when it is no everyday,
    # stop or given name and no people; the whole leaf is the match, each place a finding.
    pattern=LinearRegex(LOWER_CASE_LEAF),
    score=0.5,
    keywords=(" to ", " in ", " from ", "visited", "visiting"),
    members=_lower_case_places,
    group=1,
    defers_to_ner=True,
)
