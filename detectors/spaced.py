"""Values written with a separator between every character: `A K I A Q Y …`, `4.1.1.1.-.1.1…`,
`j-a-n-e-@-…`. A reader drops the separators at a glance; the pattern detectors, reading
character by character, match nothing.

A line holding a run of `MIN_CHARACTERS` or more single characters each followed by the same
separator (a space of any width, a tab, a line or paragraph separator, `.`, `-`, `_`, `|`, `,`,
`:`, `;`, `/`, `*`, `·`, `•`, `~`), or a text of such a run of one character a line, is
read once more with the separators inside such runs dropped; the separator written twice stands
for one of its own in the value (`B E G I N   R S A`: `BEGIN RSA`). Only the first separator
that makes such a run in a text is read so. Which findings of that reading count is the
engine's choice (`detectors.split_items.JOINED_ENTITIES`: shapes that joining ordinary single
characters does not make). Linear: one RE2 search finds whether a text has such a run at all;
only then is the text split and rebuilt once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from detectors.linear import LinearRegex, Utf8Text

# the spaces (Unicode's Zs) and line and paragraph separators, then punctuation
_BLANKS = (" \t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
           + "\u2028\u2029\u202f\u205f\u3000")
SEPARATORS = _BLANKS + ".-_|,:;/*\u00b7\u2022~"
MIN_CHARACTERS = 8
_SPACES = frozenset(_BLANKS)
# A character, then the separator: seven such pairs in a row (and an eighth character) may
# start a run; the character may be the separator itself (the value's own: `4-1-1-1---1`) but
# no line break, nor a blank beside a separator that is not one. One alternative per separator,
# so a run is of one separator.
_RUN = LinearRegex("|".join(
    [f"(?:[^\\n]{re.escape(s)}){{7}}[^\\n]" if s in _SPACES
     else f"(?:[^\\s]{re.escape(s)}){{7}}[^\\s]" for s in SEPARATORS]
    + ["(?:[^\\s]\\n){7}[^\\s]"]))  # a character a line
SIGN = _RUN  # a text it matches nowhere has no spaced-out run (`spaced_out` gives None)


@dataclass(frozen=True)
class SpacedView:
    """`text` with the separators of its spaced-out runs dropped; `origins[i]` is the index in
    the original string of the view's character i."""

    text: str
    origins: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original string that view characters `start:end` came from
        (separators between them included)."""
        return self.origins[start], self.origins[end - 1] + 1

    def collapsed(self, start: int, end: int) -> bool:
        """Whether view characters `start:end` span a dropped separator (else the original
        reads the same there, and its own scan reports what is in it)."""
        return self.origins[end - 1] - self.origins[start] != end - 1 - start


def spaced_out(source: str | Utf8Text) -> SpacedView | None:
    """The view of a text with its spaced-out runs read together, or None when it has none
    (`source`: the text, or the text prepared for RE2 once, as a leaf's `utf8`)."""
    text = source.text if isinstance(source, Utf8Text) else source
    if len(text) < 2 * MIN_CHARACTERS - 1:
        return None
    match = _RUN.search(source)
    if match is None:
        return None
    separator = (match.group(0) or "  ")[1]
    chars: list[str] = []
    origins: list[int] = []
    if separator == "\n":  # a character a line: the text read as one line of them
        _read_line(text, 0, "\n", chars, origins)
        return SpacedView("".join(chars), tuple(origins)) if len(chars) < len(text) else None
    offset = 0
    for line in text.split("\n"):
        if offset:
            chars.append("\n")
            origins.append(offset - 1)
        _read_line(line, offset, separator, chars, origins)
        offset += len(line) + 1
    return SpacedView("".join(chars), tuple(origins)) if len(chars) < len(text) else None


def _ends_in_a_character(token: str) -> bool:
    """Whether `token` ends in one character after a blank (`x j`): the first character of a
    run whose separator is not a blank."""
    return len(token) >= 2 and not token[-1].isspace() and token[-2].isspace()


def _read_line(line: str, offset: int, separator: str, chars: list[str],
               origins: list[int]) -> None:
    tokens = line.split(separator)
    starts: list[int] = []
    position = offset
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    index = 0
    while index < len(tokens):
        end = index
        while end < len(tokens) and len(tokens[end]) <= 1:
            end += 1
        joins_before = index > 0 and _ends_in_a_character(tokens[index - 1])
        joins_after = end < len(tokens) and _ends_in_a_character(tokens[end][::-1])
        if (sum(1 for token in tokens[index:end] if token) + joins_before + joins_after
                >= MIN_CHARACTERS):
            if joins_before and chars:
                chars.pop()  # `x j.a.n.e…`: the `j` of the token before is the run's first
                origins.pop()
            empties = 0
            for token, start in zip(tokens[index:end], starts[index:end]):
                if token:
                    chars.append(token)
                    origins.append(start)
                    empties = 0
                else:
                    empties += 1
                    if empties == 2:  # the separator written twice: one of the value's own
                        chars.append(separator)
                        origins.append(start - 1)
                        empties = 0
            if end < len(tokens) and not joins_after:
                chars.append(separator)  # the separator after the run stays, unless the next
                origins.append(starts[end] - 1)  # token starts with the run's last character
            index = end
            continue
        stop = max(end, index + 1)
        for token, start in zip(tokens[index:stop], starts[index:stop]):
            chars.extend(token)
            origins.extend(range(start, start + len(token)))
            if start + len(token) < offset + len(line):
                chars.append(separator)
                origins.append(start + len(token))
        index = stop
