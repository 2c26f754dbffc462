"""`inner_pairs` searches a text for its `key=value` pairs with a pattern whose keys have any
length, and with the pattern of keys of at most 64 characters only where a longer key is
found: the pairs must be those the bounded pattern alone finds, in order, with their offsets,
wherever keys start in a run of letters and digits and however long the run."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.embedded import _PAIR, InnerPair, inner_pairs
from streams.demo_data import generate


def bounded_pairs(text: str) -> list[InnerPair]:
    """The pairs as `_PAIR.finditer` alone gives them (keys of at most 64 characters)."""
    index = _PAIR.groupindex
    pairs: list[InnerPair] = []
    for match in _PAIR.finditer(text):
        key = next(match.group(index[g]) for g in ("k1", "k2", "k3") if match.start(index[g]) >= 0)
        group = next(g for g in ("dq", "sq", "bare") if match.start(index[g]) >= 0)
        value = match.group(index[group]) or ""
        pairs.append(InnerPair(key or "", match.start(index[group]), value))
    return pairs


# Keys, separators, quotes and values; runs of word characters at and past the bound, with
# the letters that may start a key early, late or nowhere in them; other scripts' letters and
# digits (a key's later characters), characters whose lower case is longer (`İ`)
PIECES = st.sampled_from([
    "password", "token", "ssn", "user_id", "a.b-c", "_x", "=", ":", " = ", ": ", "\"", "'",
    "\"key\"", "'key'", "\\\"", "\n", " ", "\t", ",", ";", "&", "{", "}", "[", "]", "hunter2",
    "123-45-6789", "T10", "2026-11-21T10:01:00Z", "a" * 63, "a" * 64, "b" * 65, "7" * 64,
    "9" * 70, "a1" * 33, "Z" + "5" * 63, "Z" + "5" * 64, "x" * 40 + "é" * 30, "é", "日本", "٣",
    "İ", "ß", "😀", "-", ".", "_"])


@settings(max_examples=800, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=16).map("".join))
def test_the_pairs_are_the_bounded_patterns(text: str) -> None:
    assert list(inner_pairs(text)) == bounded_pairs(text)


def test_keys_at_and_past_the_bound() -> None:
    for text in ["a" * 64 + "=v", "a" * 65 + "=v", "1" * 64 + "a" * 64 + ": v",
                 "a" + "1" * 64 + "=v x=y", "\"" + "k" * 65 + "\": \"v\" k=1",
                 "'" + "k" * 64 + "'='v'", "x" * 30 + "é" * 40 + "=v", "p=1 " + "q" * 80 + "=2"]:
        assert list(inner_pairs(text)) == bounded_pairs(text), text
    # the bounded key starts where 64 characters remain: the first letter is too far
    assert [(p.key, p.text) for p in inner_pairs("a" + "1" * 63 + "b" + "c" * 63 + "=v")] == [
        ("b" + "c" * 63, "v")]


def test_demo_records() -> None:
    # each whole record as a text: JSON's `"key": "value"` pairs, and the log lines in it
    texts = [record.value.decode() for record in generate(600, "pairs", seed=3,
                                                          malformed_every=0)]
    for text in texts:
        assert list(inner_pairs(text)) == bounded_pairs(text)
