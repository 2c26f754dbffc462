"""Faust tables seen as mappings of pydantic models: the pure core's QueueState in the service.

Values are stored as JSON objects; parsed models are cached, and every write goes through
this adapter, so the cache never goes stale once recovery has filled the table.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


class ModelTable(MutableMapping[str, M], Generic[M]):
    def __init__(self, table: MutableMapping[Any, Any], model: type[M]) -> None:
        self.table, self.model = table, model
        self._parsed: dict[str, M] = {}

    def __getitem__(self, key: str) -> M:
        if key not in self._parsed:
            self._parsed[key] = self.model.model_validate(self.table[key])
        return self._parsed[key]

    def __setitem__(self, key: str, value: M) -> None:
        self.table[key] = value.model_dump(mode="json")
        self._parsed[key] = value

    def __delitem__(self, key: str) -> None:
        del self.table[key]
        self._parsed.pop(key, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.table.keys()))

    def __len__(self) -> int:
        return len(self.table)

    def __contains__(self, key: object) -> bool:
        return key in self.table
