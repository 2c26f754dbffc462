import re

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import EVERYDAY_WORDS
from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

_NAME = rf"[A-ZÀ-ÖØ-Þ][{WORD}'’.-]*"
_US_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square"
    r"|Sq|Way|Terrace|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Crescent|Close|Row|Walk|Grove"
    r"|Gardens|Heights|Park|Ridge|Loop|Plaza|Pike|Mews|Green|Junction|Crossing|Point|Port"
    r"|Mall|Manor|Station|Spur|Rue)\b\.?"
)
# Street-type words that European street names end in or start with.
_EU_SUFFIX = (
    r"(?:straße|strasse|str\.|gasse|weg|platz|allee|ring|damm|vej|veien|vegen|gate|gata|gatan"
    r"|vägen|väg|laan|straat|plein|gracht|kade|dreef|steeg|tie|katu|polku|kuja|utca|útja"
    r"|ulica|cesta|terrasse|torv|gränd|stig)"
)
_EU_PREFIX = (
    r"(?:Rue|Avenue|Av\.|Boulevard|Bd|Chemin|Place|Impasse|Allée|Via|Viale|Piazza|Corso|Vicolo"
    r"|Calle|Avenida|Rua|Travessa|Carrer|Paseo|Plaza|Camino|ul\.|al\.|os\.|pl\.)"
)

_ENDS_IN_STREET_TYPE = re.compile(rf"{_EU_SUFFIX}\Z", re.IGNORECASE)


def names_a_street(value: str) -> bool:
    """A street whose type ends its name (`Nordring 12`, `skogveien 8`, `Kongens gate 5`) is
    not everyday English words before a number: `considering 01`, `boarding gate 12`,
    `string 2`, `Bring 3`."""
    words = value.split()
    if len(words) < 2 or not words[-1][:1].isdigit() or not _ENDS_IN_STREET_TYPE.search(words[-2]):
        return True
    return not all(w.lower() in EVERYDAY_WORDS or w.lower() in STOP_WORDS for w in words[:-1])


STREET_ADDRESS = PatternDetector(
    id="street-address",
    entity="LOCATION",
    # `57 Hollis Avenue`, `Østerbakkevej 14`, `Skogveien 8`, `Rue des Tanneurs 58`,
    # `ul. Jaśminowa 23`, with an optional `Apt. 605` / `Suite 902` after it. A number just before
    # the house number is part of the address (a building or unit number: `30418 1762 Ferris St`).
    # (A start after a character that is not a letter or digit of any script: Python's `\b`.)
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}])(?P<m>(?:\d{{1,6}}[ \t]+)?\d{{1,6}}[A-Za-z]?,?\s+"
        rf"(?:{_NAME}\s+){{0,4}}{_US_SUFFIX}"
        rf"|(?:{_NAME}\s+){{0,2}}[{WORD}'’-]*{_EU_SUFFIX}\s+\d{{1,5}}[A-Za-z]?\b"
        rf"|{_EU_PREFIX}\s+(?:[{WORD}'’.-]+\s+){{0,4}}?\d{{1,5}}[A-Za-z]?\b"
        rf"|\d{{1,5}},?\s+{_EU_PREFIX}\s+(?:[{WORD}'’-]+\s+){{0,3}}{_NAME})",
        context_before=True,
    ),
    score=0.7,
    context_keys=("address", "street", "addr"),
    validate=names_a_street,
    min_digits=1,
)

UNIT_ADDRESS = PatternDetector(
    id="unit-address",
    entity="LOCATION",
    # Secondary units and US military addresses: `Apt. 605`, `Suite 902`, `Unit 3071 Box 6624`,
    # `PSC 1234, Box 5678`, `USS Brightwater`, `FPO AP 41873`.
    pattern=LinearRegex(
        r"(?i)\b(?:apt\.?|apartment|suite|ste\.)\s*#?\d{1,5}[a-z]?\b"
        r"|\b(?:unit|psc)\s+\d{3,5},?\s+box\s+\d{3,5}\b"
        r"|\b(?:USNS|USNV|USS|USCGC)\s+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+\b"
        r"|\b(?:FPO|APO|DPO)\s+(?:AA|AE|AP)\s+\d{5}\b"
    ),
    score=0.7,
    keywords=("apt", "apartment", "suite", "ste.", "unit", "psc", "uss", "usns", "usnv",
              "uscgc", "fpo", "apo", "dpo"),
    context_keys=("address", "street", "addr"),
)
