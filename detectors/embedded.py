"""Key/value pairs inside a string leaf: embedded JSON, `key=value` logs, `Key: value` lines.

A string such as `'{"ssn": "123456789"}'` or `"user=bob password=hunter2!"` hides keys that are
evidence for the values next to them. `inner_pairs` finds those pairs with the offsets of their
values in the containing string, so a finding still points at the containing leaf with a span in
its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from detectors.linear import WORD, LinearMatch, LinearRegex

_LONGEST_KEY = 64
_KEY = rf"[A-Za-z_][{WORD}.-]{{0,{_LONGEST_KEY - 1}}}"
# The key bare or quoted (the same quote either side), then the value: double-quoted (with
# escapes), single-quoted, or bare up to a blank or a delimiter.
_PAIR_AFTER_KEY = (r"""\s{0,3}[:=]\s{0,3}"""
                   r"""(?:"(?P<dq>(?:[^"\\\n]|\\.)+)"|'(?P<sq>[^'\n]+)'"""
                   r"""|(?P<bare>[^\s"',;&{}\[\]]+))""")


def _pair_pattern(key: str) -> LinearRegex:
    return LinearRegex(rf"""(?:"(?P<k1>{key})"|'(?P<k2>{key})'|(?P<k3>{key})){_PAIR_AFTER_KEY}""")


_PAIR = _pair_pattern(_KEY)
# The same pairs with keys of any length: what `_PAIR` finds wherever no key is longer than
# `_LONGEST_KEY`. A key runs to the end of its run of word characters (a value follows a blank,
# `:`, `=` or a quote, none of them in a key), so a start decides the whole match; and every
# start that matches `_PAIR` matches this. Its automaton is small: `_PAIR`'s counts, per run,
# where each letter that may start a key stands, and a run of new letters and digits (a token
# in a log line) makes new states nearly every byte (~80 against ~11 us a demo log line).
_ANY_LENGTH_PAIR = _pair_pattern(rf"[A-Za-z_][{WORD}.-]*")
_KEY_GROUPS = ("k1", "k2", "k3")
_VALUE_GROUPS = ("dq", "sq", "bare")


@dataclass(frozen=True)
class InnerPair:
    """A value inside a string leaf, the key written before it, and where the value starts."""

    key: str
    start: int
    text: str


def may_hold_pairs(text: str) -> bool:
    return ":" in text or "=" in text


def inner_pairs(text: str) -> Iterator[InnerPair]:
    """Every `key: value` / `key=value` / `"key": "value"` pair in `text`, in order."""
    if not may_hold_pairs(text):
        return
    index = _PAIR.groupindex
    for match in _pair_matches(text):
        key = next(match.group(index[g]) for g in _KEY_GROUPS if match.start(index[g]) >= 0)
        for group in _VALUE_GROUPS:
            value = match.group(index[group])
            if value is not None:
                yield InnerPair(key or "", match.start(index[group]), value)
                break


def _pair_matches(text: str) -> Iterator[LinearMatch]:
    """`_PAIR.finditer(text)`, searched with `_ANY_LENGTH_PAIR` while that finds the same: its
    first match is `_PAIR`'s first when its key is short enough (no start before it matches
    either pattern, and both find the same match from a start), and so on from its end. From a
    longer key on, `_PAIR`'s own matches past those given (it may start later in that run)."""
    given = 0
    for match in _ANY_LENGTH_PAIR.finditer(text):
        if _key_length(match) > _LONGEST_KEY:
            yield from islice(_PAIR.finditer(text), given, None)
            return
        yield match
        given += 1


def _key_length(match: LinearMatch) -> int:
    index = _PAIR.groupindex
    return max(match.end(index[g]) - match.start(index[g]) for g in _KEY_GROUPS)
