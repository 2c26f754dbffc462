"""Credentials in ROT13: `NXVNDLYCZA5UUUSCMNZ2` for `AKIAQYLPMN5HHHFPZAM2`, `tuc_…` for `ghp_…`.
Any consumer undoes it with one call (`codecs.decode(text, "rot13")`); read as written, it
matches no detector.

A text holding a credential detector's keyword in ROT13 (one of four characters or more, so
that the sign is not a common fragment: `nxvn`, `tuc_`, `cevingr xrl`; one RE2 search) is read
once more in ROT13 by the detectors with such keywords; what they find there is a CREDENTIAL at the same span (ROT13 maps
one letter to one). Other entities are not read so: a ROT13 e-mail address is still one (its
`@` and dots stay), and digits do not change.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence

from detectors.finding import Finding
from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.walker import Leaf

DETECTOR_PREFIX = "rot13"
MIN_KEYWORD = 4


class Rot13Reading:
    """The credential detectors read in ROT13, and the keywords that send a text to them."""

    def __init__(self, detectors: Sequence[PatternDetector]) -> None:
        self.detectors = tuple(d for d in detectors if d.entity == "CREDENTIAL"
                               and any(len(k) >= MIN_KEYWORD for k in d.keywords))
        words = sorted({codecs.encode(k, "rot13") for d in self.detectors for k in d.keywords
                        if len(k) >= MIN_KEYWORD})
        self._signs = (LinearRegex("(?i)" + "|".join(re.escape(w) for w in words))
                       if words else None)

    @property
    def sign(self) -> LinearRegex | None:
        """What `may_hold` searches a text for."""
        return self._signs

    def may_hold(self, leaf: Leaf) -> bool:
        return self._signs is not None and self._signs.search(leaf.utf8) is not None

    def findings(self, leaf: Leaf) -> list[Finding]:
        """What these detectors find in the leaf's text in ROT13, at the same span."""
        rotated = Leaf(leaf.path, leaf.key, codecs.encode(leaf.text, "rot13"), leaf.kind)
        lowered = rotated.text.lower()
        return [f.model_copy(update={"detector": f"{DETECTOR_PREFIX}:{f.detector}"})
                for detector in self.detectors for f in detector.find(rotated, lowered)
                if f.end > f.start]
