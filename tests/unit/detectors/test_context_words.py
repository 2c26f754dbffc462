"""`PatternDetector._words_before` finds a context word before a match with one RE2 pass over an
ASCII text: the answer must be `any(word in window)`, the test of each word in turn (kept here as
the reference), for every shipped detector's words and for generated ones, at every offset."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.pattern import PatternDetector
from detectors.registry import DEFAULT_DETECTORS

WITH_WORDS = [d for d in DEFAULT_DETECTORS if d.context_words]


def reference(detector: PatternDetector, lowered: str, start: int) -> bool:
    window = lowered[max(0, start - detector.context_window):start]
    return any(word in window for word in detector.context_words)


PIECES = st.sampled_from(["phone", "call", "tel", "card", "zip", "passport", "account", " ",
                          "\n", ":", "-", "0", "5", "x", "ph", "one", "tél", "電話", "é",
                          "post code", "dl#", "cc#", "number", "text me", "fax"])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=16).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.sampled_from(range(len(WITH_WORDS))))
def test_shipped_context_words_are_found_as_each_word_tested_in_turn(text: str,
                                                                      which: int) -> None:
    detector = WITH_WORDS[which]
    lowered = text.lower()
    for start in range(len(lowered) + 1):
        assert detector._words_before(lowered, start) == reference(detector, lowered, start)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.lists(st.one_of(PIECES, st.text(min_size=1, max_size=3)), max_size=5),
       st.integers(min_value=0, max_value=12))
def test_any_words_and_window(text: str, words: list[str], window: int) -> None:
    # regex metacharacters, overlapping words, a window of 0, words longer than the window
    detector = dataclasses.replace(WITH_WORDS[0], context_words=tuple(words),
                                   context_window=window)
    lowered = text.lower()
    for start in range(len(lowered) + 1):
        assert detector._words_before(lowered, start) == reference(detector, lowered, start)


def test_a_word_must_end_before_the_match_and_start_inside_the_window() -> None:
    detector = dataclasses.replace(WITH_WORDS[0], context_words=("phone", "a.b", "(x"),
                                   context_window=8)
    assert detector._words_before("my phone 555", 9)
    assert not detector._words_before("my phone 555", 7)  # `phone` runs past the start
    assert not detector._words_before("phone is at 555", 12)  # begins before the window
    assert not detector._words_before("aXb 555", 4) and detector._words_before("a.b 555", 4)
    assert detector._words_before("(x 555", 3)
    assert not dataclasses.replace(detector, context_words=())._words_before("phone 5", 6)
