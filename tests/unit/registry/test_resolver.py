"""The schema cache: one fetch per schema id, an unknown id asked again after its time, and a
registry that cannot answer stops the batch (the worker retries it) instead of deciding it."""

from __future__ import annotations

import asyncio
import json

import pytest

from streams.registry.client import RegistryUnavailable
from streams.registry.resolver import MAX_UNKNOWN_IDS, SchemaResolver
from streams.registry.schemas import RegistrySchema, UnknownSchema, parse_response


def framed(schema_id: int) -> bytes:
    return b"\x00" + schema_id.to_bytes(4, "big") + b"{}"


class Registry:
    """Answers as a registry would; counts the questions; can be down."""

    def __init__(self) -> None:
        self.asked: list[int] = []
        self.down = False

    async def schema(self, schema_id: int) -> RegistrySchema | UnknownSchema:
        self.asked.append(schema_id)
        if self.down:
            raise RegistryUnavailable("the schema registry did not answer")
        if schema_id >= 100:
            return UnknownSchema(schema_id)
        return parse_response(schema_id, json.dumps({"schema": "{}",
                                                     "schemaType": "JSON"}).encode())


def test_each_schema_id_is_fetched_once_and_plain_json_asks_nothing() -> None:
    registry = Registry()
    resolver = SchemaResolver(registry)
    values = [framed(1), framed(2), framed(1), b'{"job_id": "x"}', None]
    found = asyncio.run(resolver.for_values(values))
    assert sorted(found) == [1, 2] and sorted(registry.asked) == [1, 2]
    asyncio.run(resolver.for_values([framed(1), framed(2)]))
    assert sorted(registry.asked) == [1, 2], "cached: a schema id's schema never changes"


def test_an_unknown_id_is_asked_again_after_its_time() -> None:
    registry = Registry()
    remembering = SchemaResolver(registry, unknown_ttl_s=3600)
    assert isinstance(asyncio.run(remembering.for_values([framed(100)]))[100], UnknownSchema)
    asyncio.run(remembering.for_values([framed(100)]))
    assert registry.asked == [100]
    forgetting = SchemaResolver(registry, unknown_ttl_s=0)
    asyncio.run(forgetting.for_values([framed(100)]))
    asyncio.run(forgetting.for_values([framed(100)]))
    assert registry.asked == [100, 100, 100], "registered since? asked again"


def test_a_registry_that_cannot_answer_stops_the_batch() -> None:
    registry = Registry()
    registry.down = True
    with pytest.raises(RegistryUnavailable):
        asyncio.run(SchemaResolver(registry).for_values([framed(1)]))


def test_an_agent_framing_records_with_ever_new_ids_is_not_remembered_without_bound() -> None:
    """Every framed record names its schema id, 2**32 of them: 30,000 records each with a new
    unknown id are each dead-lettered as unknown, and the resolver remembers a bounded number
    of them (the oldest are asked again if they come back), not every id it ever saw."""
    registry = Registry()
    resolver = SchemaResolver(registry, unknown_ttl_s=86_400)
    for start in range(100, 30_100, 500):
        found = asyncio.run(resolver.for_values([framed(i) for i in range(start, start + 500)]))
        assert all(isinstance(answer, UnknownSchema) for answer in found.values())
    assert resolver.unknown_ids_remembered() <= MAX_UNKNOWN_IDS
    assert isinstance(resolver.cached(30_099), UnknownSchema), "the newest are remembered"
    asyncio.run(resolver.for_values([framed(100)]))
    assert registry.asked.count(100) == 2, "the oldest was forgotten and asked again"
