from detectors.linear import LETTER, LinearRegex
from detectors.pattern import PatternDetector

_CUE = (r"(?i:\b(?:lives|living|live|resides?|located|office is) at|\baddress(?: is)?:?"
        r"|\b(?:ship(?:ped)?|deliver(?:ed)?|send it|mail it) to|\bdrops? you off at)")



def _address_like(value: str) -> bool:
    """A house number, then a street name and more: another number or a capitalised word."""
    words = value.replace(",", " ").split()[1:]
    if words and words[0].isdigit():  # a building number, then the house number
        words = words[1:]
    return len(words) >= 2 and any(w[0].isupper() or w[0].isdigit() for w in words)


ADDRESS_AFTER_CUE = PatternDetector(
    id="address-after-cue",
    entity="LOCATION",
    # The whole address after `lives at`, `address:`, `ship to`, when it starts with a house
    # number: `12 Nørregade 7, Aarhus C`, `3817 Koivukuja 12, KANGASALA`, up to the sentence end.
    pattern=LinearRegex(
        rf"(?P<m>{_CUE}[ \t]+((?:\d{{1,6}}[ \t]+)?\d{{1,6}}[A-Za-z]?,?[ \t]+[{LETTER}]"
        r"[^\n.;!?()\"<>=|@]{1,60}?))"
        r"[ \t]*(?:[.;!?()\"<>]|\n|\z|[ \t](?:in|for|and|on|but|by|since|until)\b)"
    ),
    score=0.7,
    keywords=("live", "living", "reside", "located", "office is", "address", "ship", "deliver",
              "send it", "mail it", "off at"),
    validate=_address_like,
    group=2,
    min_digits=1,
)
