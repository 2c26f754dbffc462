"""Values written backwards: `2MAZPFHHH5NMPLYQAIKA`, a PEM block reversed whole,
`8999-90-912`, `moc.elpmaxe@eod-enaj`, `1111111111111114`. A consumer reverses them back with one
call; read forwards, they match no detector.

Credentials: a text that holds a credential detector's keyword written backwards (`aika` for
`AKIA`, `_phg` for `ghp_`, `yek etavirp` for `private key`) is read once more reversed, by the
credential detectors whose keywords say what they find (`DISTINCTIVE`: four characters or more,
or three with a character that is not a letter: `sk-`, `hf_`). Keywords too short or too common
to tell (`sk`, `pat`, `aws`, `-`) are not read backwards.

Numbers and addresses: a text that holds the shape such a value leaves when reversed (an SSN's
`dddd-dd-ddd`, a digit run of a card's length, a reversed domain before an `@`, digits before a
`+`) is read reversed by the SSN, card, e-mail, IBAN and phone detectors, with a check the
forward reading does not need, since random digits read either way: a card's reversed digits
must start in a real scheme's issuer range at a length it issues (`detectors.card_issuers`),
an e-mail address's top-level domain must be a country's or a common generic one, a phone
number must be in international form (`+…`, the `+` ending its word), an SSN must not read forwards as a dated
reference (`2024-11-123`). What any of them find there is reported in the
original at the mirrored span. One RE2 pass over the text says whether it needs the reversed
reading; most texts do not. A detector that reads only under its key, and whose pattern
matches a text backwards exactly where it matches the text (`SAME_BACKWARDS`: nine bare digits
between non-digits), reads the reversed text only when its pattern finds something forwards
(an SSN written `583-93-7219` under `ssn` holds no nine bare digits either way). A 12-digit card
(`credit-card-short`: its first four digits together) is kept backwards only in a scheme that
issues 12-digit cards, so the text must hold one of their four-digit prefixes backwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from detectors.card_issuers import issued_card, issuer_prefixes
from detectors.finding import Finding
from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credit_card import twelve_digits
from detectors.patterns.email import TOP_LEVEL_DOMAINS
from detectors.walker import Leaf

DETECTOR_PREFIX = "reversed"
MIN_REVERSED = 6  # characters of a text worth reading backwards (`oc.b@a`)
_KEY_CACHE_SIZE = 4096
# The entities read backwards besides credentials, each with the forward shape a reversed value
# of it leaves (for RE2): an SSN's `dddd-dd-ddd`, a card's 12-19 digits (grouped or not), a
# domain whose first label is a top-level domain backwards before an `@`, an IBAN's country code
# and check digits last, digits before a `+`. Detectors that read a value only under their key
# (an SSN's 9 digits under `ssn`) read backwards every text under such a key.
SHAPES = {
    "US_SSN": r"\d{4}[-. ]\d{2}[-. ]\d{3}",
    "CREDIT_CARD": r"\d(?:[ .-]?\d){11,18}",
    "EMAIL_ADDRESS": (r"(?i)\b(?:" + "|".join(sorted(d[::-1] for d in TOP_LEVEL_DOMAINS))
                      + r")\.(?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}@[a-z0-9]"),
    "IBAN_CODE": r"[0-9A-Za-z]{10}\d\d[A-Za-z]{2}",
    "PHONE_NUMBER": r"\d[\d ().-]{5,}\+",
}
# A reversed SSN's first group is its serial backwards; one that reads as a year and a month
# (`2024-11-123`) is taken for a dated reference (a reversed SSN starts so about 1 time in 400).
_DATED = re.compile(r"(?:19|20)\d\d[-. ](?:0[1-9]|1[0-2])[-. ]\d{3}")

# Patterns whose every match, read backwards, is a match of the same pattern (their boundaries
# mirror each other): such a pattern finds nothing in a reversed text when it finds nothing in
# the text. A detector whose pattern is not listed here reads every reversed text it is given.
SAME_BACKWARDS = frozenset({r"(?:^|\D)(?P<m>\d{9})(?:\D|\z)"})  # detectors.patterns.us_ssn
# What a 12-digit card kept backwards (`twelve_digits`, then `issued_card`) leaves in the text as
# written: its first four digits, which `twelve_digits` keeps together, reversed. Empty (every
# text read) if a 12-digit scheme's prefix were longer than those four digits.
_TWELVE_BACKWARDS = tuple(sorted(prefix[::-1] for prefix in issuer_prefixes(12))) if all(
    len(prefix) <= 4 for prefix in issuer_prefixes(12)) else ()


# Whether a detector's pattern matches a leaf's text as written, where the caller knows it
# (detectors.screen); None where it does not
Forwards = Callable[[PatternDetector], "bool | None"]


def _matches_forwards(detector: PatternDetector, leaf: Leaf, forwards: Forwards | None) -> bool:
    known = None if forwards is None else forwards(detector)
    return known if known is not None else detector.pattern.search(leaf.utf8) is not None


def distinctive(keyword: str) -> bool:
    return len(keyword) >= 4 or (len(keyword) == 3 and not keyword.isalpha())


def _kept(finding: Finding, backwards: str) -> bool:
    """Whether a finding of the reversed reading (in `backwards`) is a value written backwards,
    by the checks random text read either way does not pass."""
    value = backwards[finding.start:finding.end]
    if finding.entity == "CREDIT_CARD":
        return issued_card("".join(c for c in value if c.isdigit()))
    if finding.entity == "EMAIL_ADDRESS":
        return value.rpartition(".")[2].lower() in TOP_LEVEL_DOMAINS
    if finding.entity == "PHONE_NUMBER":  # `…514 1+` ends its token (`3.11.2-6+deb12u1` does not)
        before = backwards[finding.start - 1:finding.start]
        return value.startswith("+") and not (before.isalnum() or before in ("_", "~"))
    if finding.entity == "US_SSN" and len(value) == 11:
        return not _DATED.fullmatch(value[::-1])
    return True


class ReversedReading:
    """The detectors of `detectors` that are read backwards, and what sends a text to them."""

    def __init__(self, detectors: Sequence[PatternDetector], gated: bool = True) -> None:
        """`gated=False`: no reader is spared a text by `SAME_BACKWARDS` or `_TWELVE_BACKWARDS`
        (what the tests hold those gates to)."""
        self.detectors = tuple(d for d in detectors if d.entity == "CREDENTIAL" and d.keywords
                               and all(distinctive(k) for k in d.keywords))
        words = sorted({k[::-1] for d in self.detectors for k in d.keywords})
        shapes = {"CREDENTIAL": f"(?i:{'|'.join(re.escape(w) for w in words)})"} if words else {}
        shapes |= {entity: shape for entity, shape in SHAPES.items()
                   if any(d.entity == entity for d in detectors)}
        # one search says whether a text needs the reversed reading; one per entity, which
        self._signs = LinearRegex("|".join(shapes.values())) if shapes else None
        self._readers = tuple(
            (LinearRegex(shape), self.detectors if entity == "CREDENTIAL"
             else tuple(d for d in detectors if d.entity == entity
                        and not (d.requires_context and not d.context_words)))
            for entity, shape in shapes.items())
        self._keyed = tuple(d for d in detectors if d.entity in SHAPES and d.requires_context
                            and not d.context_words)
        self._same_backwards = SAME_BACKWARDS if gated else frozenset()
        self._twelve_backwards = _TWELVE_BACKWARDS if gated else ()
        self._keys_read: dict[str, bool] = {}  # key -> whether a keyed detector reads under it

    @property
    def sign(self) -> LinearRegex | None:
        """What `may_hold` searches a text for."""
        return self._signs

    @property
    def reader_signs(self) -> tuple[LinearRegex, ...]:
        """What `findings` searches a text for, one per entity read backwards."""
        return tuple(sign for sign, _ in self._readers)

    def may_hold(self, leaf: Leaf, signed: bool | None = None,
                 forwards: Forwards | None = None) -> bool:
        """`signed`: whether the text holds `sign`, where the caller knows (detectors.screen);
        None: searched here. `forwards`: as for `findings`."""
        return len(leaf.text) >= MIN_REVERSED and (
            (signed if signed is not None
             else self._signs is not None and self._signs.search(leaf.utf8) is not None)
            or any(True for _ in self._keyed_readers(leaf, forwards)))

    def _under_key(self, key: str | None) -> bool:
        """Whether a detector that reads only under its key reads under `key` (remembered: a
        bounded cache, keys come from untrusted payloads)."""
        if not self._keyed or key is None:
            return False
        known = self._keys_read.get(key)
        if known is None:
            if len(self._keys_read) >= _KEY_CACHE_SIZE:
                self._keys_read.clear()
            known = self._keys_read[key] = any(d.in_context(key) for d in self._keyed)
        return known

    def _keyed_readers(self, leaf: Leaf, forwards: Forwards | None) -> Iterator[PatternDetector]:
        """The detectors that read the leaf backwards because of its key, less those whose
        pattern is `SAME_BACKWARDS` and finds nothing in the text as written."""
        if self._under_key(leaf.key):
            yield from (d for d in self._keyed if d.in_context(leaf.key) and not (
                d.pattern.pattern in self._same_backwards
                and not _matches_forwards(d, leaf, forwards)))

    def findings(self, leaf: Leaf, signed: Sequence[bool | None] | None = None,
                 forwards: Forwards | None = None) -> list[Finding]:
        """What these detectors find in the leaf's text reversed, at the original's span.
        `signed`: per entity (`reader_signs`), whether the text holds such a sign, where the
        caller knows (detectors.screen); None: searched here. `forwards`: whether a detector's
        pattern matches the text as written, where the caller knows (None: searched here)."""
        readers = [d for (sign, detectors), known in zip(
                       self._readers, signed or (None,) * len(self._readers), strict=True)
                   if (known if known is not None else sign.search(leaf.utf8) is not None)
                   for d in detectors]
        readers += self._keyed_readers(leaf, forwards)
        if self._twelve_backwards and not any(
                digits in leaf.text for digits in self._twelve_backwards):
            readers = [d for d in readers if d.validate is not twelve_digits]
        if not readers:
            return []
        backwards = Leaf(leaf.path, leaf.key, leaf.text[::-1], leaf.kind)
        lowered = backwards.text.lower()
        size = len(leaf.text)
        return [f.model_copy(update={"start": size - f.end, "end": size - f.start,
                                     "detector": f"{DETECTOR_PREFIX}:{f.detector}"})
                for detector in readers for f in detector.find(backwards, lowered)
                if f.end > f.start and _kept(f, backwards.text)]
