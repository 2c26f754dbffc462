"""A pattern detector is data: an entity, a regex, prefilter keywords, context, one hook."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import re2
from re2 import _re2

from detectors.finding import Finding
from detectors.linear import LinearRegex
from detectors.walker import Leaf

_NOT_DIGITS = re.compile(r"\D+")
_UNANCHORED = _re2.RE2.Anchor.UNANCHORED
_NO_MATCH = (-1, -1)
_ASCII_DIGITS = b"0123456789"

# The findings a leaf's pattern pass has made so far, by exact span, with the highest score,
# from detectors that never yield (not `defers_to_ner`). A later detector's value on such a span
# at a score no higher would be dropped by `spans.without_shadowed` anyway (the earlier finding
# comes first), so it need not be validated (a libphonenumber parse, a checksum).
Decided = dict[tuple[int, int], float]


def count_digits(text: str) -> int:
    """How many digits `text` holds (one pass in C: the non-digits removed). An ASCII text's
    digits are `0`-`9`, deleted from its bytes several times faster than a regex removes the
    non-digits; any other text also counts the digits of other scripts (`\\d`)."""
    if text.isascii():
        return len(text) - len(text.encode("ascii").translate(None, _ASCII_DIGITS))
    return len(_NOT_DIGITS.sub("", text))


def made_finding(entity: str, path: str, start: int, end: int, score: float,
                 detector: str) -> Finding:
    """`Finding(entity=…, path=…, start=…, end=…, score=…, detector=…)`, made as pydantic's
    own copy makes one when every value is of its field's exact type (what the detectors make:
    validation would give each back as it is, at ~1.5 µs a finding); any other value (an int
    score, a subclass) goes through the validation. The state is what the validation leaves:
    the fields in their order, `on_key` at its default and not among the fields set
    (tests/unit/detectors/test_finding_made.py). Here, compiled with the detectors, rather
    than beside `Finding`: a Python function's frame cost what the validation saved."""
    if (type(start) is not int or type(end) is not int or type(score) is not float
            or type(entity) is not str or type(path) is not str or type(detector) is not str):
        return Finding(entity=entity, path=path, start=start, end=end, score=score,
                       detector=detector)
    finding = _NEW(Finding)
    _SET(finding, "__dict__", {"entity": entity, "path": path, "start": start, "end": end,
                               "score": score, "detector": detector, "on_key": False})
    _SET(finding, "__pydantic_extra__", None)
    _SET(finding, "__pydantic_fields_set__", set(_SET_BY_DETECTORS))
    _SET(finding, "__pydantic_private__", None)
    return finding


_NEW, _SET = object.__new__, object.__setattr__
_SET_BY_DETECTORS = frozenset(("entity", "path", "start", "end", "score", "detector"))


@dataclass(frozen=True)
class PatternDetector:
    """Finds `pattern` (RE2, linear time: see `detectors.linear`) in string leaves.

    keywords: lowercase substrings of which at least one must occur in the text before the
        regex runs (the gitleaks prefilter); empty means always run.
    context_keys: lowercase fragments of JSON key names that are evidence for this entity.
    context_words: lowercase words that are evidence when they occur in the text within
        `context_window` characters before a match (presidio's context words).
    requires_context: only report with evidence (key or words), for patterns too vague alone.
    context_boost: added to `score` when there is evidence.
    validate: a last check on the matched text (checksum, entropy); False drops the match.
    group: the regex group that holds the value itself (0: the match as Python's `re` would
        report it); -1 means whichever group matched (for alternatives that each capture their
        value).
    defers_to_ner: weak evidence; a finding is dropped where NER found an entity over it (a
        given name alone such as `Paris` may be a place).
    members: the spans inside a validated value to report, one finding each, instead of the
        value itself (the names of a list `Sandvik, Michael and Tolliver`).
    min_digits: the fewest digits any match holds; a text with fewer cannot match (a card
        number needs 13), so the detector does not run on it.
    validate_match: like `validate`, with the whole matched text first (the key written before
        a value: `DB_PASSWORD=` is evidence, `PASSWORD_POLICY=` is not).
    key_filter: a last check on a key that `context_keys` accepted (`password_hash` holds
        `password` but is no evidence of a clear-text password).
    context_key_names: whole key names (lowercase, `-` and blanks as `_`) that are evidence,
        for names too short to match as fragments (`pin`).
    path_keys: keys (lowercase) under which what the detector finds depends on the leaf's path
        too (`line1` is an address's line only in an address object): the engine does not
        remember a value under them as clean.
    """

    id: str
    entity: str
    pattern: LinearRegex
    score: float
    keywords: tuple[str, ...] = ()
    context_keys: tuple[str, ...] = ()
    context_words: tuple[str, ...] = ()
    context_window: int = 60
    requires_context: bool = False
    context_boost: float = 0.25
    validate: Callable[[str], bool] | None = None
    group: int = 0
    defers_to_ner: bool = False
    members: Callable[[str], Sequence[tuple[int, int]]] | None = None
    min_digits: int = 0
    validate_match: Callable[[str, str], bool] | None = None
    key_filter: Callable[[str], bool] | None = None
    context_key_names: tuple[str, ...] = ()
    path_keys: frozenset[str] = frozenset()

    def in_context(self, key: str | None) -> bool:
        if key is None:
            return False
        lowered = key.lower()
        if self.context_key_names and (lowered.replace("-", "_").replace(" ", "_")
                                       in self.context_key_names):
            return True
        return (any(fragment in lowered for fragment in self.context_keys)
                and (self.key_filter is None or self.key_filter(key)))

    def _words_before(self, lowered: str, start: int) -> bool:
        """Whether a context word lies within the `context_window` characters before `start`
        (`lowered` is the leaf's text in lower case)."""
        if not self.context_words:
            return False
        first = max(0, start - self.context_window)
        if lowered.isascii():  # character offsets are byte offsets: one RE2 pass in C
            found: tuple[int, int] = self._context_words_regex.Match(
                _UNANCHORED, lowered.encode("ascii"), first, start)[0]
            return found != _NO_MATCH
        window = lowered[first:start]
        return any(word in window for word in self.context_words)

    def _any_context_word(self, lowered: str) -> bool:
        """Whether a context word lies anywhere in `lowered` (a leaf's text in lower case):
        where none does, `_words_before` holds before no match."""
        if not self.context_words:
            return False
        if lowered.isascii():
            found: tuple[int, int] = self._context_words_regex.Match(
                _UNANCHORED, lowered.encode("ascii"), 0, len(lowered))[0]
            return found != _NO_MATCH
        return any(word in lowered for word in self.context_words)

    @cached_property
    def _context_words_regex(self) -> _re2.RE2:
        """Any of the context words: RE2 over `text[first:start]` finds one exactly where
        `word in text[first:start]` holds for one of them (a testing of each word in turn cost
        a Python step per word: 5-10 µs per match with the 60 words of phone numbers)."""
        return re2.compile("|".join(re2.escape(word) for word in self.context_words))._regexp

    def find(self, leaf: Leaf, lowered: str) -> Iterator[Finding]:
        """Findings in `leaf` (`lowered` is its text in lower case), after the prefilter."""
        if self.keywords and not any(word in lowered for word in self.keywords):
            return
        if self.min_digits and count_digits(leaf.text) < self.min_digits:
            return
        keyed = self.in_context(leaf.key)
        if self.requires_context and not keyed and not any(w in lowered for w in self.context_words):
            return
        yield from self.matches(leaf, lowered, keyed)

    def matches(self, leaf: Leaf, lowered: str, keyed: bool,
                decided: Decided | None = None) -> Iterator[Finding]:
        """Findings in a leaf that passed the prefilter; `keyed` says its key is evidence.
        A value whose exact span `decided` already holds at this score or higher is skipped
        before its validation (see `Decided`)."""
        for match in self.pattern.finditer(leaf.utf8):
            group = (match.lastindex or 0) if self.group < 0 else self.group
            value = match.group(group)
            if not value:
                continue
            start = match.start(group)
            evidence = keyed or (bool(self.context_words) and self._words_before(lowered, start))
            if self.requires_context and not evidence:
                continue
            score = min(1.0, self.score + (self.context_boost if evidence else 0.0))
            if (decided and self.members is None
                    and decided.get((start, start + len(value)), -1.0) >= score):
                continue
            if self.validate is not None and not self.validate(value):
                continue
            if self.validate_match is not None and not self.validate_match(match.group(0) or "", value):
                continue
            spans = self.members(value) if self.members else ((0, len(value)),)
            for first, last in spans:
                yield made_finding(self.entity, leaf.path, start + first, start + last, score,
                                   self.id)
