"""`LinearRegex.finditer` takes an ASCII text's byte offsets as its character offsets and skips
the `After` checks and `m` groups of patterns that have none: every match (every group's span)
must be the one the general path gives (kept here as the reference), for every shipped
detector's pattern, on ASCII and non-ASCII texts alike. `count_digits` deletes an ASCII text's
digits from its bytes: the count must be the regex's."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.embedded import _PAIR
from detectors.linear import LinearMatch, LinearRegex, Utf8Text
from detectors.pattern import count_digits
from detectors.registry import DEFAULT_DETECTORS

_NO_MATCH = (-1, -1)
PATTERNS: list[LinearRegex] = [d.pattern for d in DEFAULT_DETECTORS] + [_PAIR]


def reference_spans(regex: LinearRegex, text: str) -> Iterator[tuple[tuple[int, int], ...]]:
    """The general path: every span turned into character offsets, every check made."""
    source = Utf8Text(text)
    data, size = source.data, len(source.data)
    position, last_end = 0, 0
    while position <= size:
        spans = regex._raw.Match(regex._regex._regexp.Anchor.UNANCHORED, data, position, size)
        if spans[0] == _NO_MATCH:
            return
        m_start, m_end = regex._match_span(spans)
        if m_start < last_end or regex._fails_after(data, spans):
            position = source.next_char(spans[0][0])
            continue
        spans[0] = (m_start, m_end)
        yield tuple(_NO_MATCH if span == _NO_MATCH else (
            source.char_offset(span[0]), source.char_offset(span[1])) for span in spans)
        last_end = m_end if m_end > m_start else source.next_char(m_end)
        resume = source.previous_char(last_end) if regex._context_before else last_end
        position = max(source.next_char(spans[0][0]), resume)


# Pieces the shipped patterns look for (digits, separators, keys, prefixes, words), ASCII and
# not, so that generated texts hold matches, near misses and offsets moved by wide characters.
PIECES = st.sampled_from([
    "123-45-6789", "4111 1111 1111 1111", "+1 (415) 555-0100", "415.555.0100", "DE89 3704 0044",
    "user@example.com", "AKIA", "ghp_", "sk-", "password=", "token: ", "\"ssn\": \"", "'", "\"",
    "=", ":", " ", "\n", "\t", "-", ".", "_", "/", "é", "日本", "😀", "ß", "İ", "\u2028", "0", "9",
    "a", "Z", "Jane", "Main St", "12", "x" * 20, "AbC123xyz0987654321", "==",
    # the `After` checks (age, nationality): a quantity or a clause end after the match
    "aged 34", "turned 40", " minutes", " percent", " years", ". ", "studying ", "French",
    " language", " Commission", "she was 29"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=14),
       st.sampled_from(range(len(PATTERNS))))
def test_matches_are_the_general_paths(pieces: list[str], which: int) -> None:
    text = "".join(pieces)
    regex = PATTERNS[which]
    found = [match.spans for match in regex.finditer(text)]
    assert found == list(reference_spans(regex, text))
    assert found == [match.spans for match in regex.finditer(Utf8Text(text))]


def test_every_shipped_pattern_on_fixed_texts() -> None:
    texts = ["call 415-555-0100 or 123-45-6789, card 4111111111111111 to bob@example.com",
             "é 415-555-0100 日本 123-45-6789 😀 4111111111111111 bob@example.com",
             "password=hunter2 token: 'abc' \"ssn\": \"123-45-6789\"", "", "😀" * 3,
             "aged 34 minutes, turned 40. she was 29 percent; studying French language",
             "the French Commission and French people, aged 50 years"]
    for regex in PATTERNS:
        for text in texts:
            assert [m.spans for m in regex.finditer(text)] == list(reference_spans(regex, text))


def test_a_match_is_a_value() -> None:
    source = Utf8Text("a 123-45-6789")
    first = LinearMatch(source, ((2, 13), (2, 13)), (1,))
    assert first == LinearMatch(source, ((2, 13), (2, 13)), (1,))
    assert hash(first) == hash(LinearMatch(source, ((2, 13), (2, 13)), (1,)))
    assert first != LinearMatch(source, ((2, 13), (-1, -1)), (1,))
    assert first.group(1) == "123-45-6789" and first.span() == (2, 13)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("0123456789 -+()./é٣१０𝟘"), st.characters()),
               max_size=40))
def test_digits_are_counted_as_the_regex_counts_them(text: str) -> None:
    # ASCII texts take the bytes' count of 0-9; the regex counts every script's digits (\d)
    assert count_digits(text) == len(re.sub(r"\D+", "", text))
    assert count_digits(text.encode("ascii", "ignore").decode()) == len(
        re.sub(r"\D+", "", text.encode("ascii", "ignore").decode()))
