"""The sink verifies each chain before inserting, never lets a record replace another with the
same event_id (conflicts go to `audit_conflicts` with an alert), commits a batch's offsets only
after the warehouse made its rows durable, and signs checkpoints of the verified heads."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiokafka import TopicPartition

from streams.audit.chain import AuditChain
from streams.audit.checkpointer import Checkpointer
from streams.audit.checkpoints import Checkpoint, checkpoint_problem, to_line
from streams.audit.duckdb_store import DuckDBWarehouse
from streams.audit.sink import AuditSink
from streams.audit.warehouse import CONFLICTS, SinkBatch
from streams.signing import SigningKey, TrustedKeys
from tests.unit.audit.records import audit, chained, edit

TP = TopicPartition("audit", 0)


@dataclass
class Message:
    offset: int
    value: bytes


class FakeConsumer:
    """Hands out records like aiokafka's getmany; the sink's Kafka path is tested on a real
    broker in tests/integration/test_audit.py."""

    def __init__(self, values: list[bytes], start: int = 0) -> None:
        self.pending = [Message(start + i, v) for i, v in enumerate(values)]
        self.commits: list[dict[TopicPartition, int]] = []

    async def getmany(self, timeout_ms: int, max_records: int) -> dict[TopicPartition, Any]:
        batch, self.pending = self.pending[:max_records], self.pending[max_records:]
        return {TP: batch} if batch else {}

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(offsets)


class FailingWarehouse(DuckDBWarehouse):
    def write(self, batch: SinkBatch) -> int:
        raise OSError("disk full")


def run(consumer: FakeConsumer, table: DuckDBWarehouse,
        checkpointer: Checkpointer | None = None) -> AuditSink:
    sink = AuditSink(consumer, table, checkpointer=checkpointer)  # type: ignore[arg-type]
    asyncio.run(sink.run(max_seconds=0.5))
    return sink


@pytest.fixture
def table(tmp_path: Path) -> DuckDBWarehouse:
    return DuckDBWarehouse(tmp_path / "audit.duckdb")


def conflicts(table: DuckDBWarehouse) -> list[tuple[str, int | None]]:
    return [(p, s) for p, s in table.db.execute(
        f"SELECT problem, seq FROM {CONFLICTS} ORDER BY kafka_offset").fetchall()]


def test_rows_are_written_then_offsets_committed_and_duplicates_ignored(
        table: DuckDBWarehouse) -> None:
    values = chained(5)
    consumer = FakeConsumer([*values, values[2], b"not an audit record"])
    sink = run(consumer, table)
    assert (sink.stats.read, sink.stats.inserted, sink.stats.skipped) == (7, 5, 1)
    assert (sink.stats.duplicates, sink.stats.conflicts) == (1, 0)
    assert table.count() == 5 and conflicts(table) == []
    assert consumer.commits == [{TP: 7}]


def test_nothing_is_committed_when_the_warehouse_fails(tmp_path: Path) -> None:
    consumer = FakeConsumer(chained(3))
    with pytest.raises(OSError, match="disk full"):
        run(consumer, FailingWarehouse(tmp_path / "a.duckdb"))
    assert consumer.commits == []


def test_an_edited_record_is_not_inserted_and_raises_an_alert(
        table: DuckDBWarehouse, caplog: pytest.LogCaptureFixture) -> None:
    values = chained(4)
    values[2] = edit(values[2], agent_id="someone-else")  # hash no longer matches
    with caplog.at_level(logging.ERROR):
        sink = run(FakeConsumer(values), table)
    # seq 3 is refused, so seq 4 follows a gap: inserted, and the gap reported
    assert table.count() == 3 and conflicts(table) == [("edited", 3), ("gap", 4)]
    assert sink.stats.conflicts == 2 and "ALERT: audit chain problem edited" in caplog.text


def test_a_record_never_replaces_another_with_the_same_event_id(
        table: DuckDBWarehouse) -> None:
    run(FakeConsumer(chained(3)), table)
    # Someone who can write the topic continues the chain validly, reusing event 1's id
    # with another decision: the link is fine, the content conflicts.
    chain = AuditChain(1)
    chain.resume(0, chained(3)[-1])
    forged = chain.seal(audit(0, decider="worker-1", agent_id="agent-9"), 0).value
    sink = run(FakeConsumer([forged], start=3), table)
    assert sink.stats.inserted == 0 and conflicts(table) == [("conflict", 4)]
    stored = table.existing(["evt-0-0"])["evt-0-0"]
    assert stored["agent_id"] == "agent-7", "the first record stays"


def test_a_rechained_copy_of_verified_seqs_is_a_conflict_even_after_a_restart(
        tmp_path: Path) -> None:
    path = tmp_path / "audit.duckdb"
    first = DuckDBWarehouse(path)
    run(FakeConsumer(chained(4)), first)
    first.close()
    chain = AuditChain.fresh(1)  # a whole chain recomputed with one record changed
    forged = [chain.seal(audit(i, agent_id="agent-9" if i == 1 else "agent-7"), 0).value
              for i in range(4)]
    again = DuckDBWarehouse(path)  # heads come back from the warehouse
    sink = run(FakeConsumer([*chained(4), *forged], start=0), again)
    # the replayed original (4) and the forged records that carry the same events (3) add
    # nothing; the changed one is the conflict
    assert sink.stats.duplicates == 7 and sink.stats.inserted == 0
    assert conflicts(again) == [("conflict", 2)]


def test_a_gap_is_inserted_and_reported(table: DuckDBWarehouse) -> None:
    values = chained(5)
    sink = run(FakeConsumer([values[0], values[1], values[4]]), table)
    assert table.count() == 3 and conflicts(table) == [("gap", 5)]
    assert sink.stats.conflicts == 1


def test_checkpoints_are_signed_every_n_records_and_when_the_sink_stops(
        table: DuckDBWarehouse) -> None:
    key = SigningKey.generate("audit")
    sent: list[Checkpoint] = []

    async def send(checkpoint: Checkpoint) -> None:
        sent.append(checkpoint)

    async def store(made: Sequence[Checkpoint]) -> None:
        table.add_checkpoints(made)

    checkpointer = Checkpointer(key, send, store, every_records=3, every_s=3600)
    values = chained(7)
    consumer = FakeConsumer(values)
    sink = AuditSink(consumer, table, checkpointer=checkpointer)
    asyncio.run(sink.run(max_seconds=0.5))
    assert [c.seq for c in sent] == [7], "one batch of 7 records, then the final flush"
    heads = json.loads(values[-1])["chain"]
    assert sent[0].hash == heads["hash"] and sent[0].offset == 6
    assert table.count("afterguard_audit_checkpoints") == 1
    trusted = TrustedKeys.of(key)
    assert isinstance(checkpoint_problem(to_line(sent[0]), trusted), Checkpoint)
    forged = sent[0].model_copy(update={"seq": 8})
    assert not isinstance(checkpoint_problem(to_line(forged), trusted), Checkpoint)
    stranger = TrustedKeys.of(SigningKey.generate("worker"))
    assert not isinstance(checkpoint_problem(to_line(sent[0]), stranger), Checkpoint)
