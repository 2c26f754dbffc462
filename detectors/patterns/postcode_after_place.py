import re

from detectors.gazetteer import CAPITALISED_ABBREVIATION
from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.postcode_formats import is_postcode

# Words of a place's name written in lower case (`Vila Nova de Gaia`, `Ústí nad Labem`).
_PARTICLE = r"(?:de|da|do|dos|das|del|la|le|les|di|am|an|im|upon|on|sur|nad|pod|u|v|na)"
_PLACE = (rf"{CAPITALISED_ABBREVIATION}"
          rf"(?:[ \t]+(?:{CAPITALISED_ABBREVIATION}|{_PARTICLE})){{0,4}}")
_CODE = r"\d{4}-\d{3}|\d{3} \d{2}|\d{2}-\d{3}|\d{4,6}|[A-Z]\d[A-Z] ?\d[A-Z]\d"
# Nouns that number things: `in Room 1421`, `in Build 20451`, `in Section 840`.
NUMBERING = frozenset({
    "room", "rooms", "section", "chapter", "build", "version", "release", "page", "step",
    "phase", "level", "line", "row", "table", "figure", "fig", "case", "ticket", "order",
    "issue", "sprint", "stock", "unit", "suite", "apt", "box", "floor", "gate", "platform",
    "track", "bay", "lot", "block", "plot", "zone", "area", "sector", "item", "part", "vol",
    "volume", "no", "number", "batch", "run", "job", "task", "test", "port", "model", "type",
    "class", "grade", "year", "week", "day", "q", "rev", "v", "ver", "patch", "group", "team",
    "building", "store", "shop", "branch", "flight", "bus", "train", "route", "highway",
    "terminal", "hall", "booth", "stand", "seat", "code", "id", "ref", "invoice", "account",
    "customer", "user", "client", "server", "node", "cluster", "region", "pool", "tier", "plan",
    "package", "option", "episode", "season", "series", "game", "match", "round", "windows",
    "office", "iso", "rfc", "pep", "error", "http", "status", "tax", "total", "usd", "eur",
    "clause", "article", "art", "paragraph", "para", "rule", "law", "act", "standard", "bcp",
    "din", "en", "dfars", "far", "cfr", "usc", "title", "appendix", "annex", "schedule",
})
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _town_and_postcode(match: str, value: str) -> bool:
    """The number after the town is a postcode of some country, not a year (`in London
    2012`) and not the number of a thing (`in Room 1421`)."""
    words = value.split()
    code = " ".join(words[-2:]) if re.fullmatch(r"\d{3} \d{2}", " ".join(words[-2:])) else words[-1]
    name = value[: len(value) - len(code)].split()
    if not name or name[-1].lower().strip(".") in NUMBERING or _YEAR.fullmatch(code):
        return False
    return is_postcode(code)


POSTCODE_AFTER_PLACE = PatternDetector(
    id="postcode-after-place",
    entity="LOCATION",
    # A town and its postcode after `in`, `at`, `from`, `near`: `in Vila Nova de Gaia
    # 4400-123 in its growth`, `in Aarhus C 8000,`, `from ÅRE 837 52.` — the town's
    # capitalised name, then a postcode of some country's format (Google's address metadata,
    # see postcode_formats), where the clause ends or goes on.
    pattern=LinearRegex(
        rf"\b(?i:in|at|from|near)[ \t]+({_PLACE}[ \t]+(?:{_CODE}))"
        r"(?:[ \t]*(?:[.,;:!?)](?:[^\d]|\z)|\n)|\z|[ \t]+(?:in|for|and|to|with|on|is|was|since|until)\b)"
    ),
    score=0.5,
    keywords=("in ", "at ", "from ", "near "),
    validate_match=_town_and_postcode,
    group=1,
    min_digits=3,
)
