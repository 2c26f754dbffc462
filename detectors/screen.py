"""One RE2 set search over a leaf's text rules out what cannot find anything in it.

Besides its detectors, the engine reads each leaf in other ways, each behind a search for a
sign of its own: backwards (a reversed value's shape: detectors.reversed), in ROT13 (a
credential's keyword so written: detectors.rot13), its encoded runs (base64, wrapped base64,
hex: detectors.decoded), spaced out (detectors.spaced) and rendered (markup between two
characters: detectors.rendered). And the prefilter chooses the detectors that have no keyword
(SSNs, cards, IBANs, phone numbers) for almost every leaf with a few digits, since it has no
word to look for. Each of those searches is a Python call and an RE2 call, and on most leaves
it finds nothing; a sign that occurs nowhere in a text sends it to no reading, and a detector
whose pattern matches nowhere in it finds nothing there (every finding of a pattern detector
lies in a match of its pattern: `PatternDetector.matches`).

`Screen` puts those signs and patterns in one RE2 set, searched once per text of up to
`LONGEST_SCREENED` bytes (linear time, as each of them is; on longer texts the set costs more
than the searches it saves). What the set does not find is skipped; what it finds (or may
have) goes on exactly as before, its own search included, so the findings are those of the
searches one by one. The set holds the very sources each single search compiles
(`LinearRegex.source`, or its ASCII twin's for ASCII text), with the same options, so it finds
a pattern exactly where that pattern's own search finds a match. A pattern the set cannot hold
as its search runs (one without an ASCII twin searches ASCII text with its UTF-8 program) is
never ruled out, and a set search that fails (RE2's DFA out of memory) rules out nothing: the
set holds an empty pattern, which every successful search finds.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from re2 import _re2

from detectors.decoded import RUN_SIGNS
from detectors.linear import LinearRegex, Utf8Text, regex_options
from detectors.pattern import PatternDetector
from detectors.rendered import SIGN as RENDERED_SIGN
from detectors.spaced import SIGN as SPACED_SIGN

_EVERY_TEXT = 0  # the set's empty pattern, added first
# The largest program (RE2 instructions, for UTF-8 text) of a detector's pattern that joins the
# set: the set's automaton grows with what it holds (a name or address pattern is 10,000-100,000)
_MOST_INSTRUCTIONS = 4096
_MAX_MEM = 16 << 20  # each set's program and automaton (RE2 rebuilds the automaton when full)
# The longest text (UTF-8 bytes) the set searches. The set's automaton has a state for each
# combination of where its patterns stand, made the first time a text leads there; in a longer
# text with values it has not met (a log line's timestamps and ids) nearly every byte makes one.
# A 110-130 byte log line of the demo mix cost the search ~118 µs (~4 µs once met), more than
# the searches it rules out cost one by one; six passes over the PII set's texts and held-out
# credentials cost 2,247 µs a value summed with longer texts left out, 3,336-4,235 with all
# (docs/benchmarks.md, step 42). The demo mix's other values (ids, e-mail addresses, phones,
# SSNs, cards: 8-30 bytes) gain from the set.
LONGEST_SCREENED = 64


class _Everything:
    """The answer of a search that tells nothing: it holds every position."""

    __slots__ = ()

    def __contains__(self, position: object) -> bool:
        return True


EVERYTHING: Container[int] = _Everything()


class PatternSet:
    """Regexes searched at once: `found(source)` holds the position of each that matches
    somewhere in the text, as its own search would say (`positions[i]` is regex i's; a regex
    the set cannot hold has the empty pattern's, which every answer holds)."""

    def __init__(self, regexes: Sequence[LinearRegex | None]) -> None:
        self._utf8 = _re2.Set(_re2.RE2.Anchor.UNANCHORED, regex_options(max_mem=_MAX_MEM))
        self._ascii = _re2.Set(_re2.RE2.Anchor.UNANCHORED,
                               regex_options(latin1=True, max_mem=_MAX_MEM))
        if self._add(b"", b"") != _EVERY_TEXT:
            raise ValueError("a pattern set starts with its empty pattern")
        positions: list[int] = []
        for regex in regexes:
            if regex is None or regex.twin_source is None:
                positions.append(_EVERY_TEXT)
            else:
                positions.append(self._add(regex.source.encode("utf-8"),
                                           regex.twin_source.encode("ascii")))
        self.positions = tuple(positions)
        self._compiled = self._utf8.Compile() and self._ascii.Compile()

    def _add(self, utf8: bytes, ascii_twin: bytes) -> int:
        position = self._utf8.Add(utf8)
        if position < 0 or self._ascii.Add(ascii_twin) != position:
            # each source compiled alone with the same options (LinearRegex): cannot happen
            raise ValueError(f"a pattern set cannot hold {utf8!r}")
        return position

    def found(self, source: Utf8Text) -> Container[int]:
        """The positions of the regexes that match somewhere in `source` (EVERYTHING when the
        search failed). The text is searched as `LinearRegex.finditer` searches it: its bytes,
        with the ASCII twins when they are all ASCII."""
        if not self._compiled:
            return EVERYTHING
        answer: list[int] = (self._ascii if source.ascii else self._utf8).Match(source.data)
        return answer if _EVERY_TEXT in answer else EVERYTHING


def _screened(detector: PatternDetector) -> bool:
    """Whether `detector`'s pattern joins the set: the prefilter chooses it for most texts (it
    has no keyword and needs no context word) and its program is small.

    Not the patterns of detectors the prefilter chooses for many texts only (a keyword of two
    characters, `-` or `.`, or the key as the only evidence: `mailgun-key`, `ip-address`,
    `us-ssn-keyed`, `pin`, `telegram-bot-token`). With them the set cost a little less on the
    demo mix's short texts, and a quarter more on the fresh UUIDs and hex trace ids agents send
    (the set's automaton meets new states on every random id): the metadata check of 1,000
    such results took 1,034M instructions with them against 799M without (docs/benchmarks.md,
    step 51)."""
    return (not detector.keywords and not detector.requires_context
            and detector.pattern.program_size <= _MOST_INSTRUCTIONS)


class Screen:
    """The engine's signs and the patterns of the detectors the prefilter passes on most texts
    (`_screened`), in one set.

    `search` answers for one text; a position in the answer says the sign or pattern may occur
    in it, a position not in it that it does not: `reversed` (the backwards reading's sign, as
    `ReversedReading.may_hold` searches it), `reversed_readers` (each reader's sign, as
    `ReversedReading.findings` searches them), `rot13`, `encoded` (any of the encoded runs'),
    `spaced`, `rendered`, and `may_match` for a detector. `told` says where the answer is
    exact: where the set searched the text with that very sign, the sign occurs in the text
    exactly when its position is in the answer (the set holds its source, searched as its own
    search searches the text: see `PatternSet`), and its own search can be left out."""

    def __init__(self, detectors: Sequence[PatternDetector], reversed_sign: LinearRegex | None,
                 reader_signs: Sequence[LinearRegex], rot13_sign: LinearRegex | None) -> None:
        screened = [d for d in detectors if _screened(d)]
        signs = [reversed_sign, *reader_signs, rot13_sign, SPACED_SIGN, RENDERED_SIGN,
                 *RUN_SIGNS]
        self._set = PatternSet([*signs, *(d.pattern for d in screened)])
        at = self._set.positions
        after = 1 + len(reader_signs)  # the reversed reading's signs come first
        self.reversed: int = at[0]
        self.reversed_readers: tuple[int, ...] = at[1:after]
        self.rot13: int = at[after]
        self.spaced: int = at[after + 1]
        self.rendered: int = at[after + 2]
        self.encoded: tuple[int, ...] = at[after + 3:len(signs)]
        self._detector_at = {id(d): p for d, p in zip(screened, at[len(signs):], strict=True)}

    def search(self, source: Utf8Text) -> Container[int]:
        """What may occur in `source`; a text longer than `LONGEST_SCREENED` bytes is not
        searched (EVERYTHING: each reading and detector searches it alone)."""
        if len(source.data) > LONGEST_SCREENED:
            return EVERYTHING
        return self._set.found(source)

    def told(self, found: Container[int], at: int) -> bool | None:
        """Whether the sign at position `at` occurs in the text `found` answers for; None where
        the answer does not tell (a text not searched, a sign the set cannot hold)."""
        if found is EVERYTHING or at == _EVERY_TEXT:
            return None
        return at in found

    def told_each(self, found: Container[int], positions: Sequence[int]) -> list[bool | None]:
        """`told` for each of `positions`."""
        if found is EVERYTHING:
            return [None] * len(positions)
        return [None if at == _EVERY_TEXT else at in found for at in positions]

    def told_match(self, found: Container[int], detector: PatternDetector) -> bool | None:
        """Whether `detector`'s pattern finds a match (`LinearRegex.search`) in the text `found`
        answers for; None where the answer does not tell (as `told`; a detector the set does not
        hold, a pattern whose matches a check after them may reject)."""
        at = self._detector_at.get(id(detector))
        return None if at is None or detector.pattern.checks_after else self.told(found, at)

    def may_match(self, found: Container[int], detector: PatternDetector) -> bool:
        """Whether `detector`'s pattern may match the text `found` answers for."""
        at = self._detector_at.get(id(detector))
        return at is None or at in found

    def encoded_signs(self, found: Container[int]) -> tuple[bool, bool, bool]:
        """Per search of `detectors.decoded.RUN_SIGNS`, whether it may match the text `found`
        answers for (one that does not finds no encoded run there)."""
        wrapped, base64, hexadecimal = (at in found for at in self.encoded)
        return wrapped, base64, hexadecimal
