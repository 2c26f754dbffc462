"""A pattern detector is data: an entity, a regex, prefilter keywords, context keys, one hook."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from detectors.finding import Finding
from detectors.walker import Leaf


@dataclass(frozen=True)
class PatternDetector:
    """Finds `pattern` in string leaves.

    keywords: lowercase substrings of which at least one must occur in the text before the
        regex runs (the gitleaks prefilter); empty means always run.
    context_keys: lowercase fragments of JSON key names that are evidence for this entity; a
        match under such a key gets `context_boost` added to its score.
    requires_context: only report under a context key (for patterns too vague on their own).
    validate: a last check on the matched text (checksum, entropy); False drops the match.
    group: the regex group that holds the value itself.
    """

    id: str
    entity: str
    pattern: re.Pattern[str]
    score: float
    keywords: tuple[str, ...] = ()
    context_keys: tuple[str, ...] = ()
    requires_context: bool = False
    context_boost: float = 0.25
    validate: Callable[[str], bool] | None = None
    group: int = 0
    tags: frozenset[str] = field(default_factory=frozenset)

    def in_context(self, key: str | None) -> bool:
        if key is None:
            return False
        lowered = key.lower()
        return any(fragment in lowered for fragment in self.context_keys)

    def find(self, leaf: Leaf, lowered: str) -> Iterator[Finding]:
        if self.keywords and not any(word in lowered for word in self.keywords):
            return
        in_context = self.in_context(leaf.key)
        if self.requires_context and not in_context:
            return
        score = min(1.0, self.score + (self.context_boost if in_context else 0.0))
        for match in self.pattern.finditer(leaf.text):
            value = match.group(self.group)
            if not value or (self.validate is not None and not self.validate(value)):
                continue
            yield Finding(entity=self.entity, path=leaf.path, start=match.start(self.group),
                          end=match.end(self.group), score=score, detector=self.id)
