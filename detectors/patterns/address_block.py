from detectors.gazetteer import CAPITALISED_ABBREVIATION, UPPER
from detectors.linear import LETTER, WORD, LinearRegex
from detectors.pattern import PatternDetector

# Characters that never occur in a postal address line but do in logs, code and markup.
_TEXT = r"[^\n:=\[\]{}()<>|/\\@#$%*\"?!;]"
_NEXT_LINE = r"[ \t]*\n(?:[ \t>]*\n)?[ \t>]*"
# `52173 Pihlajakatu 41`, `418 Fenwick Terrace`, `418 27 Fenwick Terrace` (building, house number), `Vestergade 19`, `Rua das Gaivotas 2281`.
_STREET = (rf"(?:\d{{1,6}}[ \t]+)?\d{{1,6}}[A-Za-z]?[ \t]+[{LETTER}]{_TEXT}{{1,45}}"
           rf"|[{LETTER}]{_TEXT}{{1,40}}?[ \t]\d{{1,5}}[A-Za-z]?\.?")
_UNIT = r"(?i:apt\.?|apartment|suite|ste\.|unit|floor|p\.?o\.? box|box)[ \t]*#?\d{1,5}[A-Za-z]?"
_POSTCODE = rf"\d{{4,6}}|\d{{3}} \d{{2}}|[{UPPER}]{{1,2}}\d[{UPPER}\d]? ?\d[{UPPER}]{{2}}"
# A place line: capitalised words (`OULU`, `Port Kimberly`, `Sanlúcar de Barrameda`),
# possibly a region code and a postcode (`Aalborg NO 9100`, `Finland 80896`, `SK`, `53650`).
_PLACE_WORD = rf"(?:{CAPITALISED_ABBREVIATION}|de|la|del|da|do|di|von|van|upon|on|sur|am|le|les)"
_PLACE = (rf"(?:{_PLACE_WORD}(?:,?[ \t]+{_PLACE_WORD}){{0,4}},?(?:[ \t]+(?:{_POSTCODE}))?"
          rf"|{_POSTCODE})[ \t]*")
_UNIT_LINE = LinearRegex(rf"(?:^|\n)[^\n]*\b(?:{_UNIT})")
# A postcode on a later line that is not a year (`Done 2024`).
_POSTCODE_NOT_YEAR = (rf"\d{{5,6}}|(?:[03-9]\d|1[0-8]|2[1-9])\d\d|\d{{3}} \d{{2}}"
                      rf"|[{UPPER}]{{1,2}}\d[{UPPER}\d]? ?\d[{UPPER}]{{2}}")
_POSTCODE_LATER = LinearRegex(rf"\n(?:[^\n]*[^{WORD}\n-])?(?:{_POSTCODE_NOT_YEAR})\b")
_NUMBER_FIRST = LinearRegex(rf"\A(?:\d{{1,6}}[ \t]+)?\d{{1,6}}[A-Za-z]?[ \t]+[{LETTER}]{{3}}")


def _postal_block(value: str) -> bool:
    """A unit line, or a number-first street line with a postcode on a later line."""
    if _UNIT_LINE.search(value):
        return True
    return _NUMBER_FIRST.search(value) is not None and _POSTCODE_LATER.search(value) is not None


ADDRESS_BLOCK = PatternDetector(
    id="address-block",
    entity="LOCATION",
    # A postal address over several lines: a street line, then unit, locality, region,
    # postcode and country lines; with a unit line, or a number-first street line and a
    # postcode on a later line.
    # (Each place line ends its line: the next line's break, or the blanks and break after
    # the last one, say so.)
    pattern=LinearRegex(
        rf"(?m)^[ \t>]*(?P<m>(?:{_STREET})(?:{_NEXT_LINE}(?:{_UNIT}|{_PLACE})){{1,4}})"
        r"[ \t]*(?:\n|\z)"
    ),
    score=0.7,
    context_keys=("address", "addr", "shipping", "billing", "mailing"),
    validate=_postal_block,
    group=1,
    min_digits=1,
)
