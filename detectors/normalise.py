"""The normalised view of a string that pattern detectors scan, so that look-alike characters do
not hide a value: `123\u200b-45-6789`, `123–45–6789`, `jane＠example.com`, `４１１１…`.

Each character becomes its compatibility form (NFKC) when that is one character (full-width
letters and digits, the non-breaking space), any decimal digit becomes its ASCII digit, the dash
variants (non-breaking hyphen, figure dash, en and em dash, minus sign) become `-`, and
characters that draw nothing of their own are removed: format characters (zero-width space and
joiners, word joiner, byte order mark, soft hyphen, direction marks, tags), combining marks
(`2̲1̲9̲`, the combining grapheme joiner, variation selectors) and the other default-ignorable
code points (Hangul fillers). A mark that belongs to a letter in precomposed form (`é`) is one
character and stays. Nothing else changes, so a finding in the view maps back to the original
characters, including any removed ones inside it (redaction removes them too).

ASCII text is its own view (one C-level check); otherwise the mapping is built once per distinct
character and applied with `str.translate`, so a view costs linear time.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
# Removed: format characters, combining (nonspacing and enclosing) marks, and the default-
# ignorable code points of other categories (Unicode's DerivedCoreProperties: Hangul fillers,
# Khmer inherent vowels, reserved ranges), none of which shows on its own.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me"})
_INVISIBLE = frozenset("\u115f\u1160\u17b4\u17b5\u3164\uffa0")
_INVISIBLE_RANGES = ((0x2065, 0x2065), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF))


@lru_cache(maxsize=8192)
def _replacement(char: str) -> str:
    """What `char` (not ASCII) becomes in the view: itself, one character, or '' (removed)."""
    if (unicodedata.category(char) in _INVISIBLE_CATEGORIES or char in _INVISIBLE
            or any(low <= ord(char) <= high for low, high in _INVISIBLE_RANGES)):
        return ""
    if char in _DASHES:
        return "-"
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


@dataclass(frozen=True)
class NormalisedView:
    """A view of `original`; `removed` holds, for each removed character in order, how many
    characters of the view come before it."""

    text: str
    removed: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original string that view characters `start:end` came from."""
        first = start + bisect_right(self.removed, start)
        last = end - 1 + bisect_right(self.removed, end - 1)
        return first, last + 1


def normalised(text: str) -> NormalisedView | None:
    """The view of `text`, or None when it is the text itself."""
    if text.isascii():
        return None
    table: dict[int, str] = {}
    for char in set(text):
        if not char.isascii():
            replacement = _replacement(char)
            if replacement != char:
                table[ord(char)] = replacement
    if not table:
        return None
    view = text.translate(table)
    removed: tuple[int, ...] = ()
    gone = "".join(chr(c) for c, r in table.items() if r == "")
    if gone:
        # a character class of the removed characters: one linear pass finds them
        positions = [m.start() for m in re.finditer(f"[{re.escape(gone)}]", text)]
        removed = tuple(position - index for index, position in enumerate(positions))
    return NormalisedView(view, removed)
