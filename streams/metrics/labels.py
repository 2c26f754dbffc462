"""A cap on the distinct values one label may take, so that no input can grow a metric."""

from __future__ import annotations

OTHER = "other"


class LabelCap:
    """At most `cap` distinct values; any value after those is counted as `other`.

    Label values here come from configuration or code (topics, entity types, detector ids,
    reviewer groups), never from a record; the cap is the second line, against a policy or a
    detector set larger than a dashboard can show."""

    def __init__(self, cap: int = 100) -> None:
        self.cap = cap
        self._seen: set[str] = set()

    def __call__(self, value: str) -> str:
        if value in self._seen:
            return value
        if len(self._seen) >= self.cap:
            return OTHER
        self._seen.add(value)
        return value
