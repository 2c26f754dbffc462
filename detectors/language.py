"""Which parts of a string are worth NER, in three coverages (`detectors.coverage.COVERAGES`):

- `windows`: a few words around capitalised words that are not common English words;
- `words` (the default, `DEFAULT_COVERAGE`): as `windows`, and also around lower-case words
  that are neither common nor everyday English words (`oluwaseun`, `tromsø`): lower-case names
  a list may not hold;
- `prose`: every prose line of the leaf, whole (see `prose_spans`).

NER costs tens of microseconds per token while a regex costs microseconds per leaf, so IDs,
numbers, tokens, codes, URLs and `key=value` lines never reach the model in any coverage.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.gazetteer import EVERYDAY_WORDS

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*")
_TOKEN = re.compile(r"\S+")
_MACHINE_TOKEN = re.compile(r"[\w.+/=:@-]*[\d_/=@:][\w.+/=:@-]*\Z")
_COMMON = frozenset(word.lower() for word in STOP_WORDS) | {"hello", "hi", "dear", "thanks"}
_LINE = re.compile(r"[^\n]+")
_LONG_TOKEN = 20  # characters of a decided token a window stops before (see `ner_windows`)
# A token that is a word of prose, with the punctuation written around words: `Hello,`,
# `(Kraków)`, `O'Neill.`, `e.g.`; not `user_id=7`, `/var/log`, `C-252353`, `a@b.example`.
_PROSE_WORD = re.compile(
    r"[(\"'“‘\[¿¡]*[^\W\d_]+(?:['’.-][^\W\d_]+)*[.,;:!?)\"'”’\]…]*\Z")


def is_candidate(word: str) -> bool:
    """A capitalised word that could start a name: `Zuzana`, `ÅLESUND`, not `The`, `I'm`."""
    base = word.replace("’", "'").split("'")[0].lower()
    return word[0].isupper() and len(word) > 1 and base not in _COMMON


def is_lower_candidate(word: str) -> bool:
    """A lower-case word that could be part of a name: not a common or an everyday English
    word (`oluwaseun`, `wierzbicki`, not `refund`, `grace`, `the`)."""
    return (word.islower() and len(word) > 2 and word not in _COMMON
            and word not in EVERYDAY_WORDS)


def _machine(token: str) -> bool:
    """Part of an email address, a URL or an identifier: `JDoe@mail.com`, `https://Ab.cd`."""
    return "@" in token or "://" in token or any(c.isdigit() for c in token)


def is_natural_language(text: str) -> bool:
    """Words, not an ID, a number, a token or a short code."""
    stripped = text.strip()
    if " " not in stripped and (len(stripped) > 40 or _MACHINE_TOKEN.match(stripped)):
        return False
    return _WORD.search(stripped) is not None


class _Cover:
    """Whether a span lies inside one of `spans`, in log time (starts sorted, with the furthest
    end reached up to each): a text with thousands of findings and tokens stays linear."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._reach = list(accumulate((b for _, b in ordered), max))

    def __call__(self, start: int, end: int) -> bool:
        count = bisect_right(self._starts, start)
        return count > 0 and self._reach[count - 1] >= end


def ner_spans(text: str, coverage: str, words_around: int,
              covered: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """The character spans of `text` NER reads under `coverage` (one of
    `detectors.coverage.COVERAGES`)."""
    if coverage == "prose":
        return prose_spans(text, covered)
    return ner_windows(text, words_around, covered, lower_case=coverage == "words")


def prose_spans(text: str, covered: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """The prose of `text`, as runs of whole lines. A line is prose when more than half of its
    whitespace-separated tokens are words (letters, with the apostrophes, hyphens and
    punctuation of written text) and one of them is neither a common English word nor inside
    a `covered` span (decided by a pattern detector). Lines of code, `key=value` logs, paths,
    IDs and numbers are not prose, nor is a leaf that is one token of machine text."""
    if not is_natural_language(text):
        return []
    inside = _Cover(covered)
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text, line.start(), line.end())]
        words = [(a, b) for a, b in tokens if _PROSE_WORD.match(text, a, b)]
        if 2 * len(words) <= len(tokens) or not any(
                not inside(a, b) and _base(text[a:b]) not in _COMMON for a, b in words):
            continue
        first, last = tokens[0][0], tokens[-1][1]
        if spans and not text[spans[-1][1]:first].strip():
            spans[-1] = (spans[-1][0], last)
        else:
            spans.append((first, last))
    return spans


def _base(token: str) -> str:
    """A prose token's word in lower case: `"Hello,"` -> `hello`, `I'm` -> `i`."""
    word = _WORD.search(token)
    return word.group().replace("’", "'").split("'")[0].lower() if word else ""


def _decided_token(token: tuple[int, int], inside: _Cover) -> bool:
    return token[1] - token[0] >= _LONG_TOKEN and inside(*token)


def ner_windows(text: str, words_around: int = 2,
                covered: Sequence[tuple[int, int]] = (), *,
                lower_case: bool = False) -> list[tuple[int, int]]:
    """Character spans of `text` worth NER: `words_around` whitespace-separated tokens either
    side of every candidate word (capitalised; with `lower_case`, lower-case words that are
    not everyday words too), merged where they touch. Candidates inside a `covered` span
    (already decided by a pattern detector) do not open a window, and a window stops before
    a decided token of `_LONG_TOKEN` characters or more (a key, a token, an ID: unique from
    result to result, it would make every window around it new to NER's memory)."""
    if not is_natural_language(text):
        return []
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    inside = _Cover(covered)
    windows: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(tokens):
        if inside(start, end):
            continue
        if _machine(text[start:end]) or not any(
                is_candidate(m.group()) or (lower_case and is_lower_candidate(m.group()))
                for m in _WORD.finditer(text, start, end)):
            continue
        low = high = index  # the words around, up to a long token a pattern decided
        while low > max(0, index - words_around) and not _decided_token(tokens[low - 1], inside):
            low -= 1
        while (high < min(len(tokens) - 1, index + words_around)
               and not _decided_token(tokens[high + 1], inside)):
            high += 1
        first, last = tokens[low][0], tokens[high][1]
        if windows and first <= windows[-1][1] + 1:
            windows[-1] = (windows[-1][0], last)
        else:
            windows.append((first, last))
    return windows
