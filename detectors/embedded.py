"""Key/value pairs inside a string leaf: embedded JSON, `key=value` logs, `Key: value` lines.

A string such as `'{"ssn": "123456789"}'` or `"user=bob password=hunter2!"` hides keys that are
evidence for the values next to them. `inner_pairs` finds those pairs with the offsets of their
values in the containing string, so a finding still points at the containing leaf with a span in
its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_PAIR = re.compile(
    r"""(?P<q>["']?)(?P<key>[A-Za-z_][\w.-]{0,63})(?P=q)\s{0,3}[:=]\s{0,3}"""
    r"""(?:"(?P<dq>(?:[^"\\\n]|\\.){1,4000})"|'(?P<sq>[^'\n]{1,4000})'"""
    r"""|(?P<bare>[^\s"',;&{}\[\]]{1,4000}))"""
)


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
    for match in _PAIR.finditer(text):
        for group in ("dq", "sq", "bare"):
            value = match.group(group)
            if value is not None:
                yield InnerPair(match.group("key"), match.start(group), value)
                break
