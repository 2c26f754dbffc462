"""Which parts of a string are worth NER: natural-language text around capitalised words.

NER costs about a millisecond per short sentence while a regex costs microseconds, so it runs
only where it can find a person, a place or a nationality: in windows of a few words around
capitalised words that are not common English words. IDs, numbers, tokens, codes, URLs and
all-lowercase text never reach the model.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*")
_TOKEN = re.compile(r"\S+")
_MACHINE_TOKEN = re.compile(r"[\w.+/=:@-]*[\d_/=@:][\w.+/=:@-]*\Z")
_COMMON = frozenset(word.lower() for word in STOP_WORDS) | {"hello", "hi", "dear", "thanks"}


def is_candidate(word: str) -> bool:
    """A capitalised word that could start a name: `Zuzana`, `ÅLESUND`, not `The`, `I'm`."""
    base = word.replace("’", "'").split("'")[0].lower()
    return word[0].isupper() and len(word) > 1 and base not in _COMMON


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


def ner_windows(text: str, words_around: int = 2,
                covered: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Character spans of `text` worth NER: `words_around` whitespace-separated tokens either
    side of every candidate word, merged where they touch. Candidates inside a `covered` span
    (already decided by a pattern detector) do not open a window."""
    if not is_natural_language(text):
        return []
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    inside = _Cover(covered)
    windows: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(tokens):
        if inside(start, end):
            continue
        if _machine(text[start:end]) or not any(
                is_candidate(m.group()) for m in _WORD.finditer(text, start, end)):
            continue
        first = tokens[max(0, index - words_around)][0]
        last = tokens[min(len(tokens) - 1, index + words_around)][1]
        if windows and first <= windows[-1][1] + 1:
            windows[-1] = (windows[-1][0], last)
        else:
            windows.append((first, last))
    return windows
