"""A draft of the queue state: changes are written to an overlay and reach the real state only
when applied, after what they emit has been committed to Kafka. A verdict whose transaction
failed (or whose service died before the commit) leaves the queue as it was."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Generic, TypeVar

V = TypeVar("V")


class Overlay(MutableMapping[str, V], Generic[V]):
    def __init__(self, base: MutableMapping[str, V]) -> None:
        self.base = base
        self.written: dict[str, V] = {}
        self.deleted: set[str] = set()

    def __getitem__(self, key: str) -> V:
        if key in self.written:
            return self.written[key]
        if key in self.deleted:
            raise KeyError(key)
        return self.base[key]

    def __setitem__(self, key: str, value: V) -> None:
        self.written[key] = value
        self.deleted.discard(key)

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self.written.pop(key, None)
        self.deleted.add(key)

    def __iter__(self) -> Iterator[str]:
        kept = [k for k in self.base if k not in self.deleted and k not in self.written]
        return iter(kept + list(self.written))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, key: object) -> bool:
        if key in self.written:
            return True
        return key not in self.deleted and key in self.base

    def apply(self) -> None:
        for key in self.deleted:
            if key in self.base:
                del self.base[key]
        for key, value in self.written.items():
            self.base[key] = value
