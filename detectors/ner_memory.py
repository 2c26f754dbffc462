"""What NER found in a text it read before, remembered by a keyed digest of the text.

Agent outputs repeat their fields and sentences from result to result (`Denver`, `us-east`,
`Hi Aisha, your refund was processed today.`), and the model costs tens of microseconds per
token. What `NerDetector` finds in a text depends on that text alone (the model reads each doc
on its own: tests/unit/detectors/test_ner_decoder.py), so it is remembered, per leaf (with the
spans the pattern detectors decided) and per window of text the model read.

The memory holds no text of a payload: its keys are a BLAKE2b digest of the text under a key
drawn at start and kept only in this process, its values are offsets and labels. It is bounded
and emptied when full (its keys come from untrusted payloads).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Hashable

# (entity, start, end, detector) of one finding, relative to the text it was found in
Found = tuple[str, int, int, str]

MEMORY_SIZE = 8192


class NerMemory:
    """A bounded map from a text's digest (with its context) to what NER found in the text."""

    def __init__(self, size: int = MEMORY_SIZE) -> None:
        self._keyed = hashlib.blake2b(key=os.urandom(16), digest_size=16)  # copied per text
        self._size = size
        self._found: dict[Hashable, tuple[Found, ...]] = {}

    def digest(self, text: str) -> bytes:
        """The text's keyed digest (16 bytes; lone surrogates of a JSON string included)."""
        digest = self._keyed.copy()  # the key's block already compressed
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def get(self, key: Hashable) -> tuple[Found, ...] | None:
        return self._found.get(key)

    def put(self, key: Hashable, found: tuple[Found, ...]) -> None:
        if self._size <= 0:
            return
        if len(self._found) >= self._size:
            self._found.clear()
        self._found[key] = found

    def clear(self) -> None:
        self._found.clear()

    def __len__(self) -> int:
        return len(self._found)
