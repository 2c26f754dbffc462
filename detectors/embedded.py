"""Key/value pairs inside a string leaf: embedded JSON, `key=value` logs, `Key: value` lines.

A string such as `'{"ssn": "123456789"}'` or `"user=bob password=hunter2!"` hides keys that are
evidence for the values next to them. `inner_pairs` finds those pairs with the offsets of their
values in the containing string, so a finding still points at the containing leaf with a span in
its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from detectors.linear import WORD, LinearRegex

_KEY = rf"[A-Za-z_][{WORD}.-]{{0,63}}"
# The key bare or quoted (the same quote either side), then the value: double-quoted (with
# escapes), single-quoted, or bare up to a blank or a delimiter.
_PAIR = LinearRegex(
    rf"""(?:"(?P<k1>{_KEY})"|'(?P<k2>{_KEY})'|(?P<k3>{_KEY}))\s{{0,3}}[:=]\s{{0,3}}"""
    r"""(?:"(?P<dq>(?:[^"\\\n]|\\.)+)"|'(?P<sq>[^'\n]+)'"""
    r"""|(?P<bare>[^\s"',;&{}\[\]]+))"""
)
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
    for match in _PAIR.finditer(text):
        key = next(match.group(index[g]) for g in _KEY_GROUPS if match.start(index[g]) >= 0)
        for group in _VALUE_GROUPS:
            value = match.group(index[group])
            if value is not None:
                yield InnerPair(key or "", match.start(index[group]), value)
                break
