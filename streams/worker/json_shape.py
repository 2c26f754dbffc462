"""Measure a JSON text's nesting depth and longest number before it is parsed, in linear time.

Python's json parser recurses once per level (RecursionError near 1,000) and refuses integers
over 4,300 digits (ValueError): both are checked here first, on the raw bytes. String literals
are blanked out with one linear regex (an unterminated string runs to the end of the input, so a
failed match is never retried from inside it); what is left is structure, numbers and literals,
whose bracket depth is one cumulative sum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# A string literal: possessive, so no backtracking; it closes or runs to the end of the input.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_OPEN = b"[{"
# Each byte's step in depth, plus one: openers 2, closers 0, everything else 1.
_STEP = bytes(2 if b in b"[{" else 0 if b in b"]}" else 1 for b in range(256))
DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")  # a digit run is a run of zeros


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


def excess(text: bytes, depth_limit: int, digits_limit: int) -> Excess | None:
    """The first bound `text` breaks, or None when it is safe to hand to the JSON parser."""
    if (text.count(b"[") + text.count(b"{") <= depth_limit
            and b"0" * (digits_limit + 1) not in text.translate(DIGITS_AS_ZERO)):
        # The skeleton is the text less the insides of its strings: it holds no more brackets
        # and no longer digit run (only quotes stand where strings were), so it keeps both
        # bounds too. Most records end here, without blanking their strings.
        return None
    return exact_excess(text, depth_limit, digits_limit)


def exact_excess(text: bytes, depth_limit: int, digits_limit: int) -> Excess | None:
    """`excess` measured on the skeleton itself."""
    skeleton = structure(text)
    openers = sum(skeleton.count(bytes([c])) for c in _OPEN)
    if openers > depth_limit and (depth := max_depth(skeleton)) > depth_limit:
        return Excess("too_deep", f"the value is nested {depth} levels deep; the policy's "
                                  f"limits.max_depth is {depth_limit}")
    longest = re.search(rb"[0-9]{%d}" % (digits_limit + 1), skeleton)
    if longest is not None:
        return Excess("number_too_large", f"the value holds a number over {digits_limit} digits "
                                          f"(the policy's limits.max_number_digits)")
    return None
