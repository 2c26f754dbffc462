"""`LinearRegex.finditer` takes an ASCII text's byte offsets as its character offsets, searches
it with the pattern's ASCII twin (compiled for Latin-1) and skips the `After` checks and `m`
groups of patterns that have none: every match (every group's span) must be the one the general
path gives (kept here as the reference, with the UTF-8 program), for every shipped detector's
pattern, on ASCII and non-ASCII texts alike. `count_digits` deletes an ASCII text's digits from
its bytes: the count must be the regex's."""

from __future__ import annotations

import re
from collections.abc import Iterator

import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.decoded import _BASE64, _HEX, _WRAPPED_BASE64
from detectors.embedded import _PAIR
from detectors.linear import LinearMatch, LinearRegex, Utf8Text, ascii_twin
from detectors.pattern import count_digits
from detectors.patterns.address_block import _NUMBER_FIRST, _POSTCODE_LATER, _UNIT_LINE
from detectors.patterns.person_list import _MEMBERS
from detectors.patterns.phone_number import _DATE_SHAPED
from detectors.patterns.phone_number_regions import _CANDIDATE
from detectors.patterns.speaker_label import _LABELS
from detectors.registry import DEFAULT_DETECTORS

_NO_MATCH = (-1, -1)
PATTERNS: list[LinearRegex] = [d.pattern for d in DEFAULT_DETECTORS] + [
    _PAIR, _BASE64, _WRAPPED_BASE64, _HEX, _UNIT_LINE, _POSTCODE_LATER, _NUMBER_FIRST, _MEMBERS,
    _DATE_SHAPED, _CANDIDATE, _LABELS]
_ANCHORS = (re2._re2.RE2.Anchor.UNANCHORED, re2._re2.RE2.Anchor.ANCHOR_START)


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


# ASCII pieces of what the shipped patterns look for, and ASCII characters of every kind
ASCII_PIECES = st.sampled_from([
    "123-45-6789", "4111 1111 1111 1111", "+1 (415) 555-0100", "DE89 3704 0044 0532 0130 00",
    "user@example.com", "AKIAIOSFODNN7EXAMPLE", "ghp_", "sk-", "password=", "token: ", "\"ssn\": \"",
    "'", "\"", "=", ":", " ", "\n", "\t", "-", ".", "_", "/", "#", "0", "9", "a", "Z", "s", "S",
    "k", "K", "Jane", "Main St", "Apt 4", "Suite 12", "SW1A 1AA", "12", "x" * 20,
    "AbC123xyz0987654321", "==", "QUJDREVGR0hJSktMTU5PUA==", "41 4b 49 41 41 42 43 44 45",
    "6a616e65406578616d706c652e636f6d", "aged 34", " years", "Dr. ", "Ms ", "I'm ", "in Paris"])
ASCII_TEXTS = st.lists(st.one_of(ASCII_PIECES, st.text(st.characters(max_codepoint=127),
                                                        max_size=6)), max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(ASCII_TEXTS, st.sampled_from(range(len(PATTERNS))))
def test_the_ascii_twin_matches_as_the_pattern_does_on_ascii_text(text: str, which: int) -> None:
    # every start position, both anchors: the same groups at the same offsets
    regex = PATTERNS[which]
    data = text.encode()
    for position in range(len(data) + 1):
        for anchor in _ANCHORS:
            assert (regex._ascii_raw.Match(anchor, data, position, len(data))
                    == regex._raw.Match(anchor, data, position, len(data))), (regex.pattern, text)
    for utf8_check, ascii_check, _present, _group in regex._after:
        for position in range(len(data) + 1):
            assert (ascii_check.Match(_ANCHORS[1], data, position, len(data))
                    == utf8_check.Match(_ANCHORS[1], data, position, len(data)))


def _twin_spans(pattern: str, text: str) -> list[tuple[int, int]] | None:
    twin = ascii_twin(pattern)
    if twin is None:
        return None
    data, found, position = text.encode("ascii"), [], 0
    while position <= len(data):
        span = twin.Match(_ANCHORS[0], data, position, len(data))[0]
        if span == (-1, -1):
            break
        found.append(span)
        position = max(span[1], span[0] + 1)
    return found


def _spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re2.compile(pattern).finditer(text)]


def test_characters_outside_ascii_in_a_pattern_match_nothing_in_its_twin() -> None:
    # a quantified, a class member, a range's end, a negated class: as the pattern on ASCII text
    for pattern, text in [("a\u2019?b", "ab a'b"), ("[x\u2019]+", "xx'x"), ("[ -\u2019]+", "a b~"),
                          ("[^\u2019\u00e9]+", "ab'c"), ("\u00e9|e", "e\u00e9e"),
                          ("(?s)\u2028.", "a\nb")]:
        text = text.encode("ascii", "ignore").decode()
        assert _twin_spans(pattern, text) == _spans(pattern, text), pattern


def test_no_twin_where_case_folding_reaches_ascii() -> None:
    # `(?i)ſ` and ranges holding ſ (U+017F) or the Kelvin sign match ASCII letters
    for pattern in ("(?i)\u017f", "(?i)[\u0100-\u0200]", "(?i:[\u2000-\u2200])", "(?mi)x\u212a"):
        assert _spans(pattern.replace("x", ""), "sk") != [], pattern
        assert ascii_twin(pattern) is None, pattern
    assert ascii_twin("(?i)\\Qa\u2019") is None and ascii_twin("\\Qa\u2019\\E") is None
    assert ascii_twin("a\\\u2019") is None  # a backslash before it
    assert ascii_twin("(?i)[a-z]+\\pL") is not None  # ASCII patterns keep theirs
