"""Agent-written text made safe to print on a reviewer's terminal, as the console shows it
(streams/review/console/static/console.js `visible`): characters that change how the text
around them reads without being seen (bidi overrides, embeddings and isolates, zero-width and
other format characters, line and paragraph separators, control characters: C1's U+009B is a
terminal's CSI; Hangul fillers) are written as their \\uXXXX escapes. In JSON text the escape
is the same value, so what is printed still parses to what the agent wrote."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")


def _escaped(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04X}"
    code -= 0x10000  # as JSON writes it: a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04X}\\u{0xDC00 + (code & 0x3FF):04X}"


def visible(text: str, keep: str = "") -> str:
    """`text` with every hidden character but those in `keep` escaped."""
    return "".join(
        _escaped(c) if c not in keep and (unicodedata.category(c) in HIDDEN_CATEGORIES
                                          or c in HANGUL_FILLERS) else c
        for c in text)


def visible_json(value: Any) -> str:
    """`value` as indented JSON whose strings show their hidden characters as escapes."""
    return visible(json.dumps(value, indent=2, ensure_ascii=False), keep="\n")
