from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector


def _two_streets(value: str) -> bool:
    """Two named streets: a number or a capital letter in it, and no `the`/`a` first
    (`the corner of the room and the door` is not an address)."""
    first = value.split(maxsplit=1)[0].lower()
    return (" and " in value.lower() and first not in ("the", "a", "an", "my", "your", "his",
                                                          "her", "our", "their", "this", "that")
            and any(c.isdigit() or c.isupper() for c in value))


STREET_CORNER = PatternDetector(
    id="street-corner",
    entity="LOCATION",
    # A street corner: `the corner of 5th Avenue and Pine Street`, `at the corner of Dalbraut 99
    # and Frederikke Coves`, up to the end of the clause.
    pattern=LinearRegex(
        r"(?i:\bcorner of)[ \t]+(?P<m>[^\n.;!?()\"<>,]{3,80}?)[ \t]*(?:[.;!?()\"<>,]|\n|\z"
        r"|[ \t](?:in|for|on|but|by|since|until|please|last|when|then)\b)"
    ),
    score=0.7,
    keywords=("corner of",),
    validate=_two_streets,
    group=1,
)
