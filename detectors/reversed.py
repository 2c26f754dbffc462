"""Credentials written backwards: `2MAZPFHHH5NMPLYQAIKA`, a PEM block reversed whole. A consumer
reverses them back with one call; read forwards, they match no detector.

A text that holds a credential detector's keyword written backwards (`aika` for `AKIA`, `_phg`
for `ghp_`, `yek etavirp` for `private key`) is read once more reversed, by the credential
detectors whose keywords say what they find (`DISTINCTIVE`: four characters or more, or three
with a character that is not a letter: `sk-`, `hf_`); what they find there is a CREDENTIAL in
the original at the mirrored span. Keywords too short or too common to tell (`sk`, `pat`,
`aws`, `-`) are not read backwards, nor are other entities (a reversed SSN, card or e-mail
address stays as it reads: see docs/detection.md). One RE2 pass over the text says whether it
needs the reversed reading; most texts do not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from detectors.finding import Finding
from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.walker import Leaf

DETECTOR_PREFIX = "reversed"
MIN_REVERSED = 12  # characters of a text worth reading backwards


def distinctive(keyword: str) -> bool:
    return len(keyword) >= 4 or (len(keyword) == 3 and not keyword.isalpha())


class ReversedReading:
    """The credential detectors of `detectors` that are read backwards, and the keywords that
    send a text to them."""

    def __init__(self, detectors: Sequence[PatternDetector]) -> None:
        self.detectors = tuple(d for d in detectors if d.entity == "CREDENTIAL" and d.keywords
                               and all(distinctive(k) for k in d.keywords))
        words = sorted({k[::-1] for d in self.detectors for k in d.keywords})
        self._words = (LinearRegex("(?i)" + "|".join(re.escape(w) for w in words))
                       if words else None)

    def may_hold(self, leaf: Leaf) -> bool:
        return (self._words is not None and len(leaf.text) >= MIN_REVERSED
                and self._words.search(leaf.utf8) is not None)

    def findings(self, leaf: Leaf) -> list[Finding]:
        """What these detectors find in the leaf's text reversed, at the original's span."""
        backwards = Leaf(leaf.path, leaf.key, leaf.text[::-1], leaf.kind)
        lowered = backwards.text.lower()
        size = len(leaf.text)
        return [f.model_copy(update={"start": size - f.end, "end": size - f.start,
                                     "detector": f"{DETECTOR_PREFIX}:{f.detector}"})
                for detector in self.detectors for f in detector.find(backwards, lowered)
                if f.end > f.start]
