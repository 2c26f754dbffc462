from detectors.gazetteer import CAPITALISED_ABBREVIATION, UPPER
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.street_address import _EU_SUFFIX, _NAME, _US_SUFFIX, names_a_street

# Street types of Nordic, Hungarian and Turkish addresses that `street-address` does not know.
_MORE_SUFFIX = (r"(?:stræti|braut|vegur|gade|stræde|kapu|köz|körút|rakpart|rkp\.|sokak|sokağı"
                r"|caddesi|bulevar|bulvar|prospekt)")
# A list's bullet before a line (`• `, `- `, or what is left of one: `??? `).
_BULLET = r"(?:[ \t]*[^\pL\pN\s,]{1,3}[ \t]+)?"
# Where an address is known to be: a unit (`Apt. 217`, `Suite 508`), a numbered street
# (`27 Ferris Street`, `Pihlajakatu 9`, `Rozália u. 14.`), a post-office box.
_ANCHOR = (
    r"(?:(?:Apt\.?|Apartment|Suite|Ste\.|Unit)[ \t]*#?\d{1,5}[A-Za-z]?"
    rf"|\d{{1,6}}[A-Za-z]?[ \t]+(?:{_NAME}[ \t]+){{0,4}}{_US_SUFFIX}"
    rf"|(?:\d{{1,6}}[ \t]+)?(?:{_NAME}[ \t]+){{0,2}}[{WORD}'’-]*(?i:{_EU_SUFFIX}|{_MORE_SUFFIX})"
    r"[ \t]+\d{1,5}[A-Za-z]?\.?"
    rf"|(?:\d{{1,6}}[ \t]+)?(?:{_NAME}[ \t]+){{1,2}}u\.[ \t]+\d{{1,5}}\.?"
    r"|P\.?[ \t]?O\.?[ \t]+Box[ \t]+\d{1,6}"
    # a street whose house number ends it, after a building number, when its line ends there
    # or a comma follows: `3051 Ilirska 114\n`, `872 Pražská 903,` (not a year: `7 Jun 1998`)
    rf"|(?:\d{{1,6}}[ \t]+){{1,2}}(?:(?:{CAPITALISED_ABBREVIATION}|ul\.|al\.|os\.|pl\.)[ \t]+){{1,4}}"
    r"(?:\d{1,3}|1[0-8]\d\d|2[1-9]\d\d|[03-9]\d{3}|\d{5})[A-Za-z]?\.?"
    rf"(?:[ \t]*,|[ \t]*\n{_BULLET})[ \t]*[{UPPER}∆][{WORD}'’.()∆-]*"
    r")"
)
# One word of the lines that follow: a capitalised or upper-case word (a town, a county, a
# country, a state code), a postcode, or the `nan` of an empty field.
# (A number's dot ends the sentence. `∆`, the increment sign, stands for a Greek delta in some
# encodings: `ΠΑΝΩ ∆ΕΥΤΕΡΑ`.)
_WORD = (rf"(?:\(?[{UPPER}∆][{WORD}'’.()∆-]*|[0-9][{WORD}-]*|(?:nan|de|du|la|le|del|di|da|do|dos|das|van"
         r"|von|der|am|im|sur|sul|nad|pod|u|v|na|an|bei|ob)\b)")
_SEPARATOR = rf"(?:[ \t]*[\n,][\s,]{{0,8}}{_BULLET}|[ \t]+)"

def _anchor_names_a_street(value: str) -> bool:
    """A street whose type ends its name, at the start of the tail, is not everyday words
    before a number (`considering 01`, `Main Gate 12`): see `names_a_street`."""
    words = value.split("\n", 1)[0].split(",", 1)[0].split()
    for i in range(1, len(words)):
        if words[i][:1].isdigit() and not words[i - 1][:1].isdigit():
            return names_a_street(" ".join(words[:i + 1]))
    return True


ADDRESS_TAIL = PatternDetector(
    id="address-tail",
    entity="LOCATION",
    # The rest of an address after its street or unit: the town, region, country and postcode
    # on the following lines or after commas (`Suite 508\n LEEDS\n United Kingdom 40812`,
    # `Apt. 217\nTarariras\n, CO\n Uruguay 70214`, `Apt. 318 Stutterheim South Africa`), and a
    # building number before a European street (`4183 Pihlajakatu 9`). Lower-case words and
    # sentence punctuation end it.
    # (It starts after a character that is not a letter or digit of any script: Python's `\b`.)
    pattern=LinearRegex(rf"(?:^|[^{WORD}])(?P<m>{_ANCHOR}(?:{_SEPARATOR}{_WORD}){{0,12}})",
                        context_before=True),
    score=0.7,
    keywords=("\n", ",", "apt", "apartment", "suite", "ste.", "unit", "box", "u.", "str", "st", "ave", "rd",
              "road", "lane", "drive", "way", "gasse", "weg", "platz", "allee", "ring", "damm",
              "vej", "veien", "vegen", "gate", "gata", "laan", "straat", "plein", "gracht", "kade",
              "dreef", "steeg", "tie", "katu", "polku", "kuja", "utca", "útja", "ulica", "cesta",
              "terrasse", "torv", "gränd", "stig", "vägen", "väg", "blvd", "boulevard", "court",
              "place", "square", "terrace", "parkway", "highway", "circle", "trail", "crescent",
              "close", "row", "walk", "grove", "gardens", "heights", "park", "ridge", "loop",
              "plaza", "pike", "mews", "green", "junction", "crossing", "point", "port", "mall",
              "manor", "station", "spur", "rue", "ln", "dr", "ct", "pl", "sq", "hwy", "cir"),
    context_keys=("address", "street", "addr"),
    validate=_anchor_names_a_street,
    min_digits=1,
)
