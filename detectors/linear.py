"""Linear-time regular expressions: RE2 (google-re2), which never backtracks.

Python's `re` backtracks, so a crafted string (a long run of `sk-`, a key header without its end)
can cost quadratic time or worse. RE2 runs in time linear in the text for every pattern, but has
no lookaround and no backreferences. Detector patterns written for Python's `re` are rewritten
for RE2 with two conventions:

- Context before a match (a lookbehind such as `(?<![\\w.+-])`) is consumed: `(?:^|[^\\w.+-])`.
- Context after a match (a lookahead) is consumed too, after the value.

so the characters a match consumes are not the match Python's `re` would report. A pattern
marks that match with a group named `m` (alternatives with context of their own name a second
one `m2`); without them it is the whole match. `LinearRegex.finditer` reports matches as Python's
`finditer` would: in order, each starting where the previous one ended (one character on after
an empty one), never overlapping, with group 0 being that match. A lookahead RE2 cannot say (a
negative one with words) is an `After` check anchored where a group ends; a match that fails it
is skipped and the search goes on one character later, as Python's would.

Offsets are characters, as with Python's `re`: a text is encoded to UTF-8 once (`Utf8Text`) and
byte offsets are converted back with a cursor, so a scan stays linear in the text.

An ASCII text (most leaves) is searched with an ASCII twin of the pattern (`ascii_twin`): the
same pattern compiled for Latin-1 input, where a class such as `\\pL` is a few byte ranges
instead of an automaton over every UTF-8 sequence of every letter. On text made of ASCII bytes
the two match alike (see `ascii_twin`); the twin's program is up to 100 times smaller, which is
what a submatch search costs (the key-value pair pattern: 254,310 instructions, 2,538 as a twin).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import re2
from re2 import _re2

_UNANCHORED = _re2.RE2.Anchor.UNANCHORED
_ANCHOR_START = _re2.RE2.Anchor.ANCHOR_START
_NO_MATCH = (-1, -1)

# Python's `\w` for str patterns (letters, digits of any script, underscore), for RE2 classes.
WORD = r"\pL\pN_"
# Python's `[^\W\d_]`: letters (and numbers that are not decimal digits).
LETTER = r"\pL\p{Nl}\p{No}"
# A whole leaf written without a capital letter (and with a letter in it), as group `m`: the
# pattern of detectors that read lower-case text word by word (`members` says what is found).
LOWER_CASE_LEAF = r"(?s)\A(?P<m>[^\p{Lu}]*[\pL][^\p{Lu}]*)\z"


def regex_options(latin1: bool = False, max_mem: int = 64 << 20) -> re2.Options:
    """The options every pattern is compiled with, for UTF-8 text or (`latin1`) for its ASCII
    twin; `max_mem` bounds the memory of its program and automaton, nothing else (large
    Unicode classes, names in any script, need a bigger DFA than RE2's default 8 MB)."""
    options = re2.Options()
    options.log_errors = False
    options.max_mem = max_mem
    if latin1:
        options.encoding = re2.Options.Encoding.LATIN1
    return options


_OPTIONS = regex_options()
_LATIN1 = regex_options(latin1=True)
# A case-insensitive flag (`(?i)`, `(?i:`, `(?mi)`...)
_CASELESS = re.compile(r"\(\?[A-Za-z-]*i")


def ascii_twin(pattern: str) -> _re2.RE2 | None:
    """`pattern` compiled for Latin-1 input, to search text made of ASCII bytes only; None when
    it has no such twin.

    On ASCII input the two find the same matches with the same groups: RE2 reads Latin-1 input
    one byte a character, so offsets are the same, and every construct means the same for ASCII
    characters (a class holds an ASCII character in both or in neither; `\\b`, `\\s`, `\\d`,
    `\\w` are ASCII in both). A character of the pattern outside ASCII can match no character
    of such a text, and neither can its stand-in, `\\x{ff}` (inside a class it still bounds a
    range that starts in ASCII: `[ -’]` holds the same ASCII characters as `[ -\\x{ff}]`).
    Left without a twin: a case-insensitive pattern with characters outside ASCII (`(?i)ſ`, or
    a range holding it, matches `s`), a backslash before a non-ASCII character, `\\Q` quoting
    (where `\\x{ff}` would be literal), and whatever fails to compile for Latin-1 (an escape
    such as `\\x{2019}`)."""
    source = _twin_source(pattern)
    if source is None:
        return None
    twin = _re2.RE2(source.encode("ascii"), _LATIN1)
    return twin if twin.ok() else None


def _twin_source(pattern: str) -> str | None:
    """The source `ascii_twin` compiles for Latin-1 input (None: no twin, see there)."""
    if not pattern.isascii() and (
            _CASELESS.search(pattern) or "\\Q" in pattern
            or any(pattern[i - 1] == "\\" for i, c in enumerate(pattern)
                   if i and not c.isascii())):
        return None
    return "".join(c if c.isascii() else "\\x{ff}" for c in pattern)


class Utf8Text:
    """A string prepared for RE2: its UTF-8 bytes once, and byte offsets turned back into
    character offsets (a cursor that moves forward with the matches, so linear overall)."""

    __slots__ = ("_byte", "_char", "ascii", "data", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        # A lone surrogate (JSON allows `\\ud800`) becomes `?`: one character for one, so every
        # character offset stays true.
        self.data = text.encode("utf-8", "replace")
        self.ascii = len(self.data) == len(text)
        self._byte = 0
        self._char = 0

    def char_offset(self, byte: int) -> int:
        if self.ascii:
            return byte
        if byte >= self._byte:
            self._char += _re2.BytesToCharLen(self.data, self._byte, byte)
        else:
            self._char -= _re2.BytesToCharLen(self.data, byte, self._byte)
        self._byte = byte
        return self._char

    def next_char(self, byte: int) -> int:
        """The byte offset one character after `byte`."""
        if byte >= len(self.data):
            return byte + 1
        lead = self.data[byte]
        return byte + (1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4)

    def previous_char(self, byte: int) -> int:
        """The byte offset one character before `byte` (0 stays 0)."""
        byte -= 1
        while byte > 0 and 0x80 <= self.data[byte] < 0xC0:
            byte -= 1
        return max(byte, 0)


@dataclass(frozen=True)
class After:
    """A check where group `group` ends (-1: the value group that matched, see `lastindex`):
    `pattern` must match there (`present`), or must not."""

    pattern: str
    present: bool = False
    group: int = -1


class LinearMatch:
    """A match, with character offsets; `start`/`end`/`group` as on Python's `re.Match`.

    A value object (equal and hashed by its three fields, like the frozen dataclass it was;
    treat it as immutable): a slotted class, since every match of every detector makes one and
    a frozen dataclass's constructor costs several times more."""

    __slots__ = ("marks", "source", "spans")

    def __init__(self, source: Utf8Text, spans: tuple[tuple[int, int], ...],
                 marks: tuple[int, ...]) -> None:
        self.source = source
        self.spans = spans  # character offsets per group; (-1, -1) if unmatched
        self.marks = marks  # the groups named m, m2 (left out of `lastindex`)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not LinearMatch:
            return NotImplemented
        assert isinstance(other, LinearMatch)
        return (self.source, self.spans, self.marks) == (other.source, other.spans, other.marks)

    def __hash__(self) -> int:
        return hash((self.source, self.spans, self.marks))

    def __repr__(self) -> str:
        return f"LinearMatch(spans={self.spans!r}, marks={self.marks!r})"

    def start(self, group: int = 0) -> int:
        return self.spans[group][0]

    def end(self, group: int = 0) -> int:
        return self.spans[group][1]

    def span(self, group: int = 0) -> tuple[int, int]:
        return self.spans[group]

    def group(self, group: int = 0) -> str | None:
        start, end = self.spans[group]
        return None if start < 0 else self.source.text[start:end]

    @property
    def lastindex(self) -> int | None:
        """The highest-numbered group that matched, leaving out `m` (for patterns whose
        alternatives each capture their value in a group of their own)."""
        matched = [i for i in range(1, len(self.spans))
                   if i not in self.marks and self.spans[i][0] >= 0]
        return matched[-1] if matched else None


class LinearRegex:
    """One RE2 pattern; see the module docstring for how it stands in for a Python pattern.

    context_before: the pattern starts with one consumed character of context (a lookbehind's
        stand-in), so the next search starts one character before the previous match ended.
    after: lookaheads RE2 cannot say, checked where a group ends.
    """

    def __init__(self, pattern: str, *, context_before: bool = False,
                 after: tuple[After, ...] = ()) -> None:
        self.pattern = pattern
        source = pattern.replace(r"\Z", r"\z")
        self._regex = re2.compile(source, _OPTIONS)
        self._raw = self._regex._regexp
        twin = ascii_twin(source)
        self._ascii_raw = twin or self._raw
        # The RE2 sources searched, for sets of patterns searched at once (detectors.screen):
        # for UTF-8 text, and for ASCII text (None: the UTF-8 program searches that too).
        self.source = source
        self.twin_source = _twin_source(source) if twin is not None else None
        self.groups: int = self._regex.groups
        index: dict[str, int] = dict(self._regex.groupindex)
        self.groupindex = index
        self._marks = tuple(index[name] for name in ("m", "m2") if name in index)
        self._context_before = context_before
        self._after = tuple((checks, ascii_twin(source) or checks, a.present, a.group)
                            for a in after
                            for source in (a.pattern.replace(r"\Z", r"\z"),)
                            for checks in (re2.compile(source, _OPTIONS)._regexp,))

    def finditer(self, text: str | Utf8Text) -> Iterator[LinearMatch]:
        source = text if isinstance(text, Utf8Text) else Utf8Text(text)
        data, size = source.data, len(source.data)
        marks, after = self._marks, self._after
        raw = self._ascii_raw if source.ascii else self._raw  # the same matches on ASCII bytes
        position, last_end = 0, 0
        while position <= size:
            spans = raw.Match(_UNANCHORED, data, position, size)
            if spans[0] == _NO_MATCH:
                return
            m_start, m_end = self._match_span(spans) if marks else spans[0]
            if m_start < last_end or (after and self._fails_after(data, spans, source.ascii)):
                position = source.next_char(spans[0][0])  # Python tries the next start
                continue
            spans[0] = (m_start, m_end)
            # ASCII text: byte offsets are character offsets (and (-1, -1) stays as it is)
            yield LinearMatch(source, tuple(spans) if source.ascii else tuple(
                _NO_MATCH if span == _NO_MATCH else (
                    source.char_offset(span[0]), source.char_offset(span[1])) for span in spans),
                marks)
            # Python's next match starts where this one ended (one character on if empty).
            last_end = m_end if m_end > m_start else source.next_char(m_end)
            resume = source.previous_char(last_end) if self._context_before else last_end
            position = max(source.next_char(spans[0][0]), resume)

    def _match_span(self, spans: list[tuple[int, int]]) -> tuple[int, int]:
        for mark in self._marks:
            if spans[mark] != _NO_MATCH:
                return spans[mark]
        return spans[0]

    def _fails_after(self, data: bytes, spans: list[tuple[int, int]],
                     ascii_data: bool = False) -> bool:
        for utf8_regex, ascii_regex, present, group in self._after:
            regex = ascii_regex if ascii_data else utf8_regex
            if group < 0:
                matched = [i for i in range(1, len(spans))
                           if i not in self._marks and spans[i] != _NO_MATCH]
                group = matched[-1] if matched else 0
            if spans[group] == _NO_MATCH:
                continue
            found = regex.Match(_ANCHOR_START, data, spans[group][1], len(data))[0] != _NO_MATCH
            if found != present:
                return True
        return False

    def search(self, text: str | Utf8Text) -> LinearMatch | None:
        return next(self.finditer(text), None)

    @property
    def checks_after(self) -> bool:
        """Whether a match RE2 finds may be rejected by an `After` check (else `search` finds
        one exactly where RE2 finds a match of `source`)."""
        return bool(self._after)

    @property
    def program_size(self) -> int:
        """RE2's measure of the pattern's program (instructions), for UTF-8 text."""
        size: int = self._raw.ProgramSize()
        return size

    def fullmatch(self, text: str) -> bool:
        """Whether the whole of `text` matches (no `m`, no rejection: for validators)."""
        return self._regex.fullmatch(text) is not None
