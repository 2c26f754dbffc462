from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import NOT_A_NAME, PLACE_NAME
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

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
