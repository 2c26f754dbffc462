"""A string with its escapes decoded in place, so that the detectors read what a browser, a JSON
parser, a URL parser or a mail client would show: `jane&#64;example.com`,
`jane\\u0040example.com`, `%32%31%39 %30%39 %39%39%39%38`, `=41=4B=49=41…` (quoted-printable).

Escapes decoded: percent-encoding (`%40`), HTML character references (`&#64;`, `&#x40;`,
`&commat;`), backslash escapes of JSON, JavaScript and C (`\\u0040`, `\\u{40}`, `\\x40`, a
surrogate pair of `\\u` escapes), and quoted-printable (`=40`, capitals only; not its soft line
break, a `=` at a line's end, which base64 padding before a line break would look like). Runs
of byte escapes (`%e2%82%ac`) are decoded together as UTF-8, and left as they are when they are
not UTF-8; nothing decodes to a lone surrogate. The text between escapes stays as it is, so a
value written half plain and half escaped reads whole, with the words before it (`ssn
%32%31%39…`).

Every character of the view maps back to the original characters it came from
(`UnescapedView.original_span`); the engine keeps only findings that cover a decoded escape
(the others are found in the string itself). One regular-expression pass of bounded tokens
finds the escapes, and the view is never longer than the string: linear time.
"""

from __future__ import annotations

import html.entities
import re
from bisect import bisect_right
from dataclasses import dataclass

# Every token is of bounded length, and the alternatives start with one of four characters: one
# linear pass (Python's `re` cannot backtrack more than a token's length here).
_TOKEN = re.compile(
    r"%(?P<pct>[0-9A-Fa-f]{2})"
    r"|&#(?P<dec>[0-9]{1,7});|&#[xX](?P<hexref>[0-9A-Fa-f]{1,6});|&(?P<name>[A-Za-z][A-Za-z0-9]{1,31});"
    r"|\\u(?P<u4>[0-9A-Fa-f]{4})|\\u\{(?P<ubrace>[0-9A-Fa-f]{1,6})\}|\\x(?P<bx>[0-9A-Fa-f]{2})"
    r"|=(?P<qp>[0-9A-F]{2})")
_MARKS = ("%", "&", "\\", "=")
_ENTITIES = html.entities.html5  # `amp;` -> `&`: names with their semicolon
_BYTE_GROUPS = ("pct", "bx", "qp")  # escapes of one byte each, decoded together as UTF-8


@dataclass(frozen=True)
class UnescapedView:
    """The decoded text; `starts[i]`/`ends[i]`: the original span of segment i, which begins at
    view offset `offsets[i]`; `escaped[i]`: whether segment i was decoded from escapes."""

    text: str
    offsets: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    escaped: tuple[bool, ...]

    def _segment(self, position: int) -> int:
        return bisect_right(self.offsets, position) - 1

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original string that view characters `start:end` came from."""
        first, last = self._segment(start), self._segment(end - 1)
        begin = (self.starts[first] + start - self.offsets[first] if not self.escaped[first]
                 else self.starts[first])
        finish = (self.starts[last] + end - self.offsets[last] if not self.escaped[last]
                  else self.ends[last])
        return begin, finish

    def decodes(self, start: int, end: int) -> bool:
        """Whether view characters `start:end` hold a decoded escape."""
        return any(self.escaped[self._segment(start):self._segment(end - 1) + 1])


def may_hold_escapes(text: str) -> bool:
    """Whether `text` holds one of `_MARKS` (four substring tests in C, no generator)."""
    return "%" in text or "&" in text or "\\" in text or "=" in text


def unescaped(text: str) -> UnescapedView | None:
    """The view of `text` with its escapes decoded, or None when it has none."""
    pieces: list[str] = []
    offsets: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    escaped: list[bool] = []
    length = 0  # of the view so far
    done = 0  # original characters consumed
    pending: list[int] = []  # bytes of a run of byte escapes
    pending_kind = ""
    pending_start = pending_end = 0

    def emit(piece: str, start: int, end: int, decoded: bool) -> None:
        nonlocal length
        if not piece:
            return
        pieces.append(piece)
        offsets.append(length)
        starts.append(start)
        ends.append(end)
        escaped.append(decoded)
        length += len(piece)

    def flush() -> None:
        nonlocal pending_kind
        if pending:
            try:
                emit(bytes(pending).decode("utf-8"), pending_start, pending_end, True)
            except UnicodeDecodeError:  # not UTF-8 text: left as written
                emit(text[pending_start:pending_end], pending_start, pending_end, False)
            pending.clear()
        pending_kind = ""

    high: tuple[int, int, int] | None = None  # a `\u` high surrogate waiting for its low half
    any_escape = False
    for match in _TOKEN.finditer(text):
        start, end = match.start(), match.end()
        kind = match.lastgroup or ""
        if pending and (kind != pending_kind or start != pending_end):
            flush()
        if high is not None and (kind != "u4" or start != high[2]):
            emit(text[high[1]:high[2]], high[1], high[2], False)
            high = None
        if start > done and not pending:
            emit(text[done:start], done, start, False)
        done = end
        value = match.group(kind)
        if kind in _BYTE_GROUPS:
            if not pending:
                pending_kind, pending_start = kind, start
            pending.append(int(value, 16))
            pending_end = end
            any_escape = True
            continue
        if kind == "name":
            char = _ENTITIES.get(value + ";")
            if char is None:
                emit(text[start:end], start, end, False)
                continue
        else:
            code = int(value, 10 if kind == "dec" else 16)
            if kind == "u4" and 0xD800 <= code <= 0xDBFF and high is None:
                high = (code, start, end)
                continue
            if kind == "u4" and 0xDC00 <= code <= 0xDFFF and high is not None:
                code = 0x10000 + ((high[0] - 0xD800) << 10) + (code - 0xDC00)
                start = high[1]
                high = None
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:  # no lone surrogate in a view
                emit(text[start:end], start, end, False)
                continue
            char = chr(code)
        emit(char, start, end, True)
        any_escape = True
    flush()
    if high is not None:
        emit(text[high[1]:high[2]], high[1], high[2], False)
    if not any_escape or not any(escaped):  # nothing decoded (`%ce7Z`: bytes that are not UTF-8)
        return None
    if done < len(text):
        emit(text[done:], done, len(text), False)
    return UnescapedView("".join(pieces), tuple(offsets), tuple(starts), tuple(ends),
                         tuple(escaped))
