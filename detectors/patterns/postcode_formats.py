import re
from pathlib import Path

import re2

from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

_DATA = Path(__file__).resolve().parent.parent / "data/postcode_formats.txt"


def _any_format() -> str:
    """Every country's format once, groups made non-capturing, as one alternation."""
    formats = {re.sub(r"\((?!\?)", "(?:", line.split("\t", 1)[1])
               for line in _DATA.read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("#")}
    return "|".join(sorted(formats))


_POSTCODE = re2.compile(rf"(?:{_any_format()})")


def is_postcode(value: str) -> bool:
    """Whether `value` is a whole postcode in the format of some country."""
    return _POSTCODE.fullmatch(value) is not None


def _postcode(value: str) -> list[tuple[int, int]]:
    """The longest start of a candidate that is a whole postcode of some country: `2583 HK`
    of `2583 HK`, `602` of `602 Brno`."""
    ends = [len(value), *(i for i, c in enumerate(value) if c == " ")]
    for end in sorted(ends, reverse=True):
        if _POSTCODE.fullmatch(value[:end]):
            return [(0, end)]
    return []


POSTCODE_FORMATS = PatternDetector(
    id="postcode-formats",
    entity="LOCATION",
    # A postcode in the format of any of 181 countries (Google's address metadata, see
    # detectors/data/postcode_formats.txt): `512 47`, `2583 HK`, `00-950`, `4715-062`, `735`,
    # `H3Z 2Y7`. Many are plain digit runs, so only right after a postcode's name in one of
    # the main languages (`zip:`, `PLZ`, `code postal`, `CEP`, `postnummer`, `〒`) or under a
    # postcode key. The pattern takes one or two postcode-like tokens; the longest start that
    # is a whole postcode is reported.
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}-])(?P<m>[A-Z0-9][A-Z0-9-]{{1,9}}(?:[ ][A-Z0-9]{{1,4}})?)"
        rf"(?:[^{WORD}-]|\z)",
        context_before=True,
    ),
    score=0.5,
    context_keys=("zip", "postal", "postcode", "plz", "postleitzahl", "cep", "pincode"),
    context_words=("zip", "postal", "postcode", "post code", "plz", "postleitzahl",
                   "code postal", "cep", "código postal", "codigo postal",
                   "postnummer", "postinumero", "irányítószám", "kod pocztowy", "psč",
                   "pin code", "pincode", "〒", "eircode", "τ.κ."),
    context_window=20,
    requires_context=True,
    members=_postcode,
    group=1,
    min_digits=1,
)
