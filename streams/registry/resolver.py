"""The schemas of a batch's framed records, fetched before the batch is decided and cached by
id (a registry never changes the schema behind an id; an id it does not know is asked again
after `unknown_ttl_s`). Raises RegistryUnavailable when the registry cannot answer: the worker
then retries the whole batch with backoff, as it does when Kafka fails, so that an outage of
the registry holds the stream back instead of dead-lettering it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from typing import Protocol

from streams.registry.client import RegistryClient, RegistryUnavailable
from streams.registry.framing import HEADER_BYTES, is_framed, schema_id_of
from streams.registry.schemas import RegistrySchema, UnknownSchema
from streams.registry.settings import RegistrySettings

log = logging.getLogger(__name__)

__all__ = ["RegistryUnavailable", "SchemaResolver"]

MAX_UNKNOWN_IDS = 10_000


class SchemaSource(Protocol):
    async def schema(self, schema_id: int) -> RegistrySchema | UnknownSchema: ...


class SchemaResolver:
    def __init__(self, source: SchemaSource, unknown_ttl_s: float = 60.0) -> None:
        self.source, self.unknown_ttl_s = source, unknown_ttl_s
        self._known: dict[int, RegistrySchema] = {}
        # id -> when the registry said so, oldest first; at most MAX_UNKNOWN_IDS (an agent
        # can frame its records with any of 2**32 ids)
        self._unknown: dict[int, float] = {}

    @classmethod
    def from_settings(cls, settings: RegistrySettings) -> SchemaResolver | None:
        if not settings.enabled:
            return None
        if settings.sends_credentials_in_clear():
            log.warning("AFTERGUARD_SCHEMA_REGISTRY_URL is plain http to another host: the "
                        "registry password is sent in clear; use https")
        return cls(RegistryClient(settings), settings.unknown_ttl_s)

    def cached(self, schema_id: int) -> RegistrySchema | UnknownSchema | None:
        if schema_id in self._known:
            return self._known[schema_id]
        said = self._unknown.get(schema_id)
        if said is not None and time.monotonic() - said < self.unknown_ttl_s:
            return UnknownSchema(schema_id)
        return None

    async def for_values(self, values: Iterable[bytes | None]
                         ) -> dict[int, RegistrySchema | UnknownSchema]:
        """What the registry says of each schema id the framed values name (fetched when not
        cached); RegistryUnavailable when it cannot answer for one of them."""
        ids = {schema_id_of(v) for v in values if v is not None and is_framed(v)
               and len(v) >= HEADER_BYTES}
        found: dict[int, RegistrySchema | UnknownSchema] = {}
        for schema_id in ids:
            if (cached := self.cached(schema_id)) is not None:
                found[schema_id] = cached
        wanted = sorted(ids - found.keys())
        for answer in await asyncio.gather(*(self.source.schema(i) for i in wanted)):
            found[answer.schema_id] = answer
            if isinstance(answer, UnknownSchema):
                self._remember_unknown(answer.schema_id)
                log.warning("schema id %d is not known to the schema registry: its records go "
                            "to the dead-letter topic", answer.schema_id)
                continue
            self._known[answer.schema_id] = answer
            self._unknown.pop(answer.schema_id, None)
            if answer.unusable:
                log.warning("schema id %d cannot be decoded (%s): its records go to the "
                            "dead-letter topic", answer.schema_id, answer.unusable)
        return found

    def _remember_unknown(self, schema_id: int) -> None:
        now = time.monotonic()
        self._unknown.pop(schema_id, None)
        if len(self._unknown) >= MAX_UNKNOWN_IDS:  # the expired and the oldest quarter go
            fresh = [(i, said) for i, said in self._unknown.items()
                     if now - said < self.unknown_ttl_s]  # the others are asked again
            self._unknown = dict(fresh[-(MAX_UNKNOWN_IDS * 3 // 4):])
        self._unknown[schema_id] = now

    def unknown_ids_remembered(self) -> int:
        return len(self._unknown)

    async def close(self) -> None:
        if isinstance(self.source, RegistryClient):
            await self.source.close()
