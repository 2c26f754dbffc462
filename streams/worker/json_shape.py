"""Measure a JSON text's nesting depth, longest number and values before it is parsed, in linear
time.

Python's json parser recurses once per level (RecursionError near 1,000), refuses integers
over 4,300 digits (ValueError), and makes one object per value: 1 MB of `[[],[],…]` or
`[{},{},…]` is 330,000 lists or dicts, about 22 MB held per record (90 MB at the parse's
peak). All three are checked here first, on the raw bytes. String literals
are blanked out with one linear regex (an unterminated string runs to the end of the input, so a
failed match is never retried from inside it); what is left is structure, numbers and literals,
whose bracket depth is one cumulative sum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from streams.worker.value_count import PARSED_PER_ALLOWED, values_bound

# A string literal: possessive, so no backtracking; it closes or runs to the end of the input.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_OPEN = b"[{"
# Each byte's step in depth, plus one: openers 2, closers 0, everything else 1.
_STEP = bytes(2 if b in b"[{" else 0 if b in b"]}" else 1 for b in range(256))
# Digits as 0 (a digit run is a run of zeros) and the exponent `E` as `e`: a text so marked
# (`marked`) shows its digit runs here and where a number may hold an exponent in the codec.
NUMBER_MARKS = bytes.maketrans(b"123456789E", b"000000000e")


@dataclass(frozen=True)
class Excess:
    """Which bound the text breaks, and a reason that quotes nothing from it."""

    error: str
    reason: str


def structure(text: bytes) -> bytes:
    """The text with every string literal emptied: brackets left are JSON's own."""
    return _STRING.sub(b'""', text)


def max_depth(skeleton: bytes) -> int:
    """The deepest bracket nesting of a text without strings (0 for a scalar)."""
    if not skeleton:
        return 0
    steps = np.frombuffer(skeleton.translate(_STEP), dtype=np.uint8).astype(np.int64) - 1
    return max(0, int(np.cumsum(steps).max()))


# JSON's whitespace, and the bytes that add a value (`,` a next item, `:` a key's value, an
# opener a first item) or close a container
_SPACES = np.frombuffer(b" \t\r\n", dtype=np.uint8)
_ADDS = np.frombuffer(b",:[{", dtype=np.uint8)
_CHUNK = 1 << 18  # bytes counted at a time: the count's arrays stay a few MB for any record


def values_in(text: bytes) -> int:
    """The values and keys the JSON parser makes of `text`: exact for JSON text, never above
    `values_bound(text)`. A container of n items holds n - 1 commas, so values = 1 + commas +
    colons (one per key) + non-empty containers, all outside strings. Linear, and in chunks:
    no object per string (blanking 330,000 strings with `structure` peaks at 57 MB)."""
    # Escaped backslashes, then escaped quotes, dropped (`bytes.replace` pairs them from the
    # left, as JSON does): every quote left opens or closes a string.
    plain = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    values, inside, last = 1, 0, 0  # quotes so far (odd: in a string); last byte that counts
    for start in range(0, len(plain), _CHUNK):
        chunk = np.frombuffer(plain, dtype=np.uint8, count=min(_CHUNK, len(plain) - start),
                              offset=start)
        quotes = chunk == ord('"')
        before = np.cumsum(quotes, dtype=np.int32) - quotes + inside  # quotes before each byte
        outside = chunk[(before & 1) == 0]  # an opening quote is outside: it starts a value
        inside = (inside + int(quotes.sum())) & 1
        marks = outside[~np.isin(outside, _SPACES)]
        if not marks.size:
            continue
        values += int(np.isin(marks, _ADDS).sum())
        previous = np.concatenate((np.array([last], dtype=np.uint8), marks[:-1]))
        values -= int((((previous == ord("[")) & (marks == ord("]")))
                       | ((previous == ord("{")) & (marks == ord("}")))).sum())  # `[]`, `{}`
        last = int(marks[-1])
    return values


def _too_many(values: int, values_limit: int) -> Excess:
    return Excess("too_many_values", f"the value holds {values} values and keys; the parser "
                                     f"takes at most {values_limit} ({PARSED_PER_ALLOWED} times "
                                     f"the policy's limits.max_values)")


def excess(text: bytes, depth_limit: int, digits_limit: int,
           values_limit: int | None = None, marked: bytes | None = None) -> Excess | None:
    """The first bound `text` breaks, or None when it is safe to hand to the JSON parser.
    `values_limit`: the most values and keys the parser may make (None: not counted).
    `marked`: `text.translate(NUMBER_MARKS)`, when the caller has it already."""
    openers = text.count(b"[") + text.count(b"{")
    if marked is None:
        marked = text.translate(NUMBER_MARKS)
    if openers > depth_limit or b"0" * (digits_limit + 1) in marked:
        return exact_excess(text, depth_limit, digits_limit, values_limit)
    # The skeleton is the text less the insides of its strings: it holds no more brackets and
    # no longer digit run (only quotes stand where strings were), so it keeps both bounds too.
    # Most records end here, without blanking their strings; and most within the values limit
    # by their length (the bytes' bound counts some of their bytes, plus one) or that bound.
    if (values_limit is not None and len(text) >= values_limit
            and values_bound(text) > values_limit and (values := values_in(text)) > values_limit):
        return _too_many(values, values_limit)
    return None


def exact_excess(text: bytes, depth_limit: int, digits_limit: int,
                 values_limit: int | None = None) -> Excess | None:
    """`excess` measured on the skeleton itself (and the values on the text)."""
    skeleton = structure(text)
    openers = sum(skeleton.count(bytes([c])) for c in _OPEN)
    if openers > depth_limit and (depth := max_depth(skeleton)) > depth_limit:
        return Excess("too_deep", f"the value is nested {depth} levels deep; the policy's "
                                  f"limits.max_depth is {depth_limit}")
    longest = re.search(rb"[0-9]{%d}" % (digits_limit + 1), skeleton)
    if longest is not None:
        return Excess("number_too_large", f"the value holds a number over {digits_limit} digits "
                                          f"(the policy's limits.max_number_digits)")
    del skeleton
    if values_limit is not None and (values := values_in(text)) > values_limit:
        return _too_many(values, values_limit)
    return None
