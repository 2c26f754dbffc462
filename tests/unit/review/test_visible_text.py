"""Agent-written text printed for a reviewer (streams/review/visible_text.py): every hidden
character shows as its escape, and JSON printed so still parses to what the agent wrote."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from streams.review.visible_text import HANGUL_FILLERS, HIDDEN_CATEGORIES, visible, visible_json


def hidden(char: str) -> bool:
    return unicodedata.category(char) in HIDDEN_CATEGORIES or char in HANGUL_FILLERS


def test_bidi_zero_width_c1_and_astral_format_characters_are_escaped() -> None:
    assert visible("invoice_\u202efdp.exe") == "invoice_\\u202Efdp.exe"
    assert visible("a\u200bb\u2066c\u2069\u009b2J\u3164") == \
        "a\\u200Bb\\u2066c\\u2069\\u009B2J\\u3164"
    assert visible("tag\U000e0041") == "tag\\uDB40\\uDC41", "as JSON writes it: a pair"
    assert visible("Zoë, 東京, مرحبا") == "Zoë, 東京, مرحبا", "visible text is left alone"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


@given(json_values)
def test_printed_json_shows_nothing_hidden_and_parses_to_the_same_value(value: Any) -> None:
    printed = visible_json(value)
    assert not any(hidden(c) for c in printed if c != "\n")
    assert json.loads(printed) == value
