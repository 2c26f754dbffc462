"""Letters of other scripts drawn like Latin ones, inside Latin words: `АКІАQYLP…` with a
Cyrillic А, К and І, `jаnе@ехаmрlе.com` with Cyrillic а, е, х, р. A person reads them as the
Latin letters; a pattern for Latin letters matches nothing. (NFKC does not fold them: they are
letters of their own scripts.)

A text where a Cyrillic or Greek letter touches a Latin letter or a digit (one RE2 search;
ASCII text never does) is read once more with the Cyrillic and Greek letters that look like
Latin ones replaced by those (`LOOKALIKES`, one character for one, so offsets stay). Which
findings of that reading count is the engine's choice: those over a replaced letter, of the
entities single characters do not make by chance (credentials, e-mail addresses...). Text in
Cyrillic or Greek alone is not read so: its words touch Latin ones only across a blank or a
sign.
"""

from __future__ import annotations

from detectors.linear import LinearRegex, Utf8Text

LOOKALIKES = str.maketrans({
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "Ү": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԛ": "Q", "Ԝ": "W",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ү": "y",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v", "κ": "k", "ρ": "p",
    "α": "a", "ι": "i",
})
_MIXED = LinearRegex(r"[\p{Latin}0-9][\p{Cyrillic}\p{Greek}]|[\p{Cyrillic}\p{Greek}][\p{Latin}0-9]")


def latin_lookalikes(source: str | Utf8Text) -> str | None:
    """The text with its Latin look-alikes replaced, or None when no Cyrillic or Greek letter
    touches a Latin letter or a digit (or none of them looks Latin)."""
    text = source.text if isinstance(source, Utf8Text) else source
    if text.isascii() or _MIXED.search(source) is None:
        return None
    read = text.translate(LOOKALIKES)
    return read if read != text else None


def replaced(original: str, read: str, start: int, end: int) -> bool:
    """Whether characters `start:end` of the reading hold a replaced letter."""
    return original[start:end] != read[start:end]
