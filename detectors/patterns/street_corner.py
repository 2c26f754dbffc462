from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector

# A character of a street's name, or an abbreviated street type with its dot (`Str.`, `St.`),
# which does not end the clause.
_NAME_CHAR = (r"(?:[^\n.;!?()\"<>,]|\b(?:Str|St|Ave|Av|Rd|Dr|Blvd|Bd|Sq|Pl|Ln|Ct|Cir|Hwy|Pkwy|ul|al"
              r"|os|pl|str|st|ave|rd)\.)")


def _two_streets(value: str) -> bool:
    """Two named streets: a number or a capital letter in them, and no `the`/`a` first
    (`the corner of the room and the door` is not an address)."""
    streets = value.split(maxsplit=2)[2]  # after `corner of`
    first = streets.split(maxsplit=1)[0].lower()
    return (first not in ("the", "a", "an", "my", "your", "his", "her", "our", "their", "this",
                          "that")
            and any(c.isdigit() or c.isupper() for c in streets))


STREET_CORNER = PatternDetector(
    id="street-corner",
    entity="LOCATION",
    # A street corner: `the corner of 5th Avenue and Pine Street`, `at the corner of
    # Skólavörðustígur 41 and Ingeborg Meadows`, `corner of 28 Ippokratous Str. and Hollenbeck
    # Turnpike`, from `corner` (the words say where the address is) up to the end of the clause.
    pattern=LinearRegex(
        rf"\b((?i:corner of)[ \t]+{_NAME_CHAR}{{2,60}}?(?:\.?[ \t]and|[ \t](?i:and))[ \t]+{_NAME_CHAR}{{2,40}}?)"
        r"[ \t]*(?:[.;!?()\"<>,]|\n|\z"
        r"|[ \t](?:in|for|on|but|by|since|until|please|last|when|then)\b)"
    ),
    score=0.7,
    keywords=("corner of",),
    validate=_two_streets,
    group=1,
)
