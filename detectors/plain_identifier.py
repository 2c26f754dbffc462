"""Plain identifiers: texts made of `A-Z a-z 0-9 . _ : -` alone, at most `LONGEST_PLAIN`
characters (`stages57-01234`, a UUID, `job.support.reply`, `2026-11-28T12:00:00Z`), as an
action result's metadata fields are (`policies.action_result`).

Such a text can still hold a secret or a number: a key's own shape, an SSN, a card or phone
number as written, backwards or in ROT13, or base64, base32 or hex of one; the engine reads it
for all of those as it reads any text. What it can skip follows from the characters alone:

- its base64 (and base32) runs: with no line break there is no base64 wrapped over lines, and
  with no `+`, `/` or `=` the runs `detectors.decoded` searches for are its parts between `.`
  and `:` (the identifier characters outside base64's alphabet) of `MIN_BASE64` characters or
  more: a split finds them (`encoded_runs_of`), not a regex search through `LinearRegex`
  (4 µs on a fresh 14-character id); without a `:` (hex pairs so written), its hex runs are its
  whole hex segments of even length, 16 or more (7.6 µs for the search on a fresh 32-hex id);
- scanned alone under a key (`DetectorEngine.scan_identifier`), it is no list item, so it
  gets no walk, and no reading of values split over items, key lines or element lines.

Everything else (its normalised view, look-alike letters, escapes) the engine decides as for
any text, in a check that costs nothing on ASCII. The answer is exactly the full scan's:
tests/unit/detectors/test_plain_identifier.py holds `scan_identifier` to `scan` over generated
identifiers (keys, tokens, SSNs, card and phone numbers, IBANs, written as they are, backwards,
in ROT13, spaced, in base64, base32 and hex) and `encoded_runs_of` to `encoded_runs` on any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from detectors.decoded import MIN_BASE32, MIN_BASE64, MIN_HEX, EncodedRun, encoded_runs
# how `encoded_runs` decodes each run it finds: one place says what a run holds
from detectors.decoded import _base32_text as base32_text
from detectors.decoded import _base64_text as base64_text
from detectors.decoded import _utf8_text as utf8_text

# The longest metadata field (`action`: 256); a longer text is scanned as any other
LONGEST_PLAIN = 256
_PLAIN = re.compile(r"[A-Za-z0-9._:-]+\Z")
_HEX_SEGMENT = re.compile(rf"[0-9A-Fa-f]{{{MIN_HEX},}}")  # maximal: greedy, from the left


def is_plain(text: str) -> bool:
    """Whether `text` is a plain identifier (linear: one class, no backtracking)."""
    return len(text) <= LONGEST_PLAIN and _PLAIN.match(text) is not None


def encoded_runs_of(text: str, signed: tuple[bool, bool, bool]) -> Iterator[EncodedRun]:
    """`detectors.decoded.encoded_runs(text, signed)`, the same runs in the same order; a plain
    identifier's base64 runs are its parts, split at `.` and `:` (the characters of the
    identifier alphabet outside base64's), of `MIN_BASE64` characters or more."""
    if not is_plain(text):
        yield from encoded_runs(text, signed)
        return
    _wrapped, signed_base64, signed_hex = signed  # no line break: nothing wrapped
    if signed_base64 and len(text) >= MIN_BASE64:
        start = 0
        for part in text.replace(":", ".").split("."):  # both end a base64 run
            end = start + len(part)
            if len(part) >= MIN_BASE64:
                decoded = base64_text(part)
                if decoded is not None:
                    yield EncodedRun(start, end, "base64", decoded)
                elif len(part) >= MIN_BASE32 and (decoded := base32_text(part)) is not None:
                    yield EncodedRun(start, end, "base32", decoded)
            start = end + 1
    if signed_hex and ":" in text:  # pairs written `41:4b:49:…`
        yield from encoded_runs(text, (False, False, True))
    elif signed_hex:  # a hex run: a whole hex segment of even length
        for segment in _HEX_SEGMENT.finditer(text):
            run = segment.group()
            if len(run) % 2 == 0 and (decoded := utf8_text(bytes.fromhex(run))) is not None:
                yield EncodedRun(segment.start(), segment.end(), "hex", decoded)
