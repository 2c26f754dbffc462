"""The sink commits a batch's offsets only after the warehouse made its rows durable."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from aiokafka import TopicPartition

from streams.audit.sink import AuditSink
from tests.unit.audit.records import chained

TP = TopicPartition("audit", 0)


@dataclass
class Message:
    offset: int
    value: bytes


class FakeConsumer:
    def __init__(self, values: list[bytes]) -> None:
        self.pending = [Message(i, v) for i, v in enumerate(values)]
        self.commits: list[dict[TopicPartition, int]] = []

    async def getmany(self, timeout_ms: int, max_records: int) -> dict[TopicPartition, Any]:
        batch, self.pending = self.pending[:max_records], self.pending[max_records:]
        return {TP: batch} if batch else {}

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(offsets)


class Table:
    def __init__(self, fail: bool = False) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.fail = fail

    def write(self, records: Sequence[dict[str, Any]]) -> int:
        if self.fail:
            raise OSError("disk full")
        new = {r["event_id"]: r for r in records if r["event_id"] not in self.rows}
        self.rows.update(new)
        return len(new)

    def count(self) -> int:
        return len(self.rows)

    def close(self) -> None:
        pass


def run(consumer: FakeConsumer, table: Table) -> AuditSink:
    sink = AuditSink(consumer, table)
    asyncio.run(sink.run(max_seconds=0.5))
    return sink


def test_rows_are_written_then_offsets_committed_and_duplicates_ignored() -> None:
    values = chained(5)
    consumer, table = FakeConsumer([*values, values[2], b"not an audit record"]), Table()
    sink = run(consumer, table)
    assert (sink.stats.read, sink.stats.inserted, sink.stats.skipped) == (7, 5, 1)
    assert table.count() == 5
    assert consumer.commits == [{TP: 7}]


def test_nothing_is_committed_when_the_warehouse_fails() -> None:
    consumer = FakeConsumer(chained(3))
    with pytest.raises(OSError, match="disk full"):
        run(consumer, Table(fail=True))
    assert consumer.commits == []
