"""Which pattern detectors are worth running on a leaf, decided once for all of them.

Each detector's own gate (a keyword, a context word unless the key is evidence, enough digits)
would cost a Python call per detector per leaf; here one RE2 set scan of the lowercased text finds
every keyword and context word of every detector, one regex substitution counts the digits, and
the key's evidence is looked up once per distinct key. A detector runs only where it could match.
"""

from __future__ import annotations

from collections.abc import Sequence

import re2

from detectors.pattern import PatternDetector, count_digits

_KEY_CACHE_SIZE = 4096
_CHOSEN_SIZE = 4096


class Prefilter:
    """The gates of `detectors`, merged: `candidates` gives the detectors a leaf needs, each
    with whether the leaf's key is evidence for it."""

    def __init__(self, detectors: Sequence[PatternDetector]) -> None:
        self._detectors = tuple(detectors)
        words = sorted({w for d in detectors for w in (*d.keywords, *_gate_words(d))})
        # One RE2 pass over the lowercased text says which words occur (linear time).
        self._words = tuple(words)
        self._scan = _word_set(words) if words else None
        self._keyword_hits = [frozenset(i for i, d in enumerate(detectors) if w in d.keywords)
                              for w in words]
        self._context_hits = [frozenset(i for i, d in enumerate(detectors)
                                        if w in _gate_words(d)) for w in words]
        self._keyed_by_key: dict[str | None, frozenset[int]] = {None: frozenset()}
        self._without_keywords = frozenset(i for i, d in enumerate(detectors) if not d.keywords)
        self._without_context_gate = frozenset(i for i, d in enumerate(detectors)
                                               if not d.requires_context)
        self._most_digits = max((d.min_digits for d in detectors), default=0)
        self._chosen: dict[tuple[tuple[int, ...], frozenset[int], int],
                           list[tuple[PatternDetector, bool]]] = {}

    def keyed(self, key: str | None) -> frozenset[int]:
        """The detectors (by position) for which `key` is evidence."""
        found = self._keyed_by_key.get(key)
        if found is None:
            if len(self._keyed_by_key) > _KEY_CACHE_SIZE:  # keys come from untrusted payloads
                self._keyed_by_key = {None: frozenset()}
            found = frozenset(i for i, d in enumerate(self._detectors) if d.in_context(key))
            self._keyed_by_key[key] = found
        return found

    def candidates(self, text: str, lowered: str,
                   key: str | None) -> list[tuple[PatternDetector, bool]]:
        """The detectors that could match `text`, in registration order, each with whether
        `key` is evidence for it (a list shared by the calls with the same answer: read it,
        never change it)."""
        keyed = self.keyed(key)
        # the set's own binding, as `re2.Set.Match` calls it (without its Python frame); a lone
        # surrogate (JSON allows `\ud800`) becomes `?`, as detectors.linear.Utf8Text reads it
        words = (tuple(sorted(self._scan._set.Match(lowered.encode("utf-8", "replace"))))
                 if self._scan is not None else ())
        # The answer depends on the words found, the key's evidence and the digits up to the
        # most any detector needs; leaves repeat those, so it is remembered (bounded).
        chosen = (words, keyed, min(count_digits(text), self._most_digits))
        found = self._chosen.get(chosen)
        if found is None:
            if len(self._chosen) >= _CHOSEN_SIZE:
                self._chosen.clear()
            found = self._chosen[chosen] = self._candidates(words, keyed, chosen[2])
        return found

    def _candidates(self, words: tuple[int, ...], keyed: frozenset[int],
                    digits: int) -> list[tuple[PatternDetector, bool]]:
        keyword_hits: set[int] = set()
        context_hits: set[int] = set()
        for word in words:
            keyword_hits |= self._keyword_hits[word]
            context_hits |= self._context_hits[word]
        # Set algebra over detector positions: the work follows the detectors a leaf may need,
        # not all of them (most vendor detectors have a keyword that most leaves lack).
        passing = ((self._without_keywords | keyword_hits)
                   & (self._without_context_gate | keyed | context_hits))
        return [(self._detectors[index], index in keyed) for index in sorted(passing)
                if digits >= self._detectors[index].min_digits]


def _word_set(words: Sequence[str]) -> re2.Set:
    found = re2.Set.SearchSet(re2.Options())
    for word in words:
        found.Add(re2.escape(word))
    found.Compile()
    return found


def _gate_words(detector: PatternDetector) -> tuple[str, ...]:
    """Context words that gate a detector: it needs one of them unless its key is evidence."""
    return detector.context_words if detector.requires_context else ()
