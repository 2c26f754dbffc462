"""`afterguard audit sink`: the audit topics into a warehouse table, each chain verified first.

At-least-once and idempotent: rows are inserted by event_id (a replayed or re-emitted record
adds nothing, and no record ever replaces another), and a batch's offsets are committed only
after the warehouse has made its rows durable. A crash between the two replays that batch,
which inserts nothing new.

Before a record is inserted its chain link is checked against the head the sink verified
last (streams/audit/chain_guard.py). A record that fails, or that carries an event_id already
stored with other content, goes to the `audit_conflicts` table instead, with an alert (an
ERROR log line starting "ALERT" and the `conflicts` counter). So does a record of the worker's
audit topic the worker did not sign (`bad_signature`, streams/audit/signatures.py): it is
never loaded, never moves the verified head, so no checkpoint covers it. After each durable batch the
verified heads are offered to the checkpointer, which signs them every N records or T seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.audit.chain_guard import ChainGuard, Head, HeadKey, parse_chained, same_event
from streams.audit.checkpointer import Checkpointer
from streams.audit.signatures import AuditSignatures
from streams.audit.warehouse import Conflict, SinkBatch, Warehouse, row
from streams.metrics.loop_observer import LoopObserver

log = logging.getLogger(__name__)


@dataclass
class SinkStats:
    read: int = 0
    inserted: int = 0
    skipped: int = 0  # not audit records (reported by `audit verify` too)
    duplicates: int = 0  # the same event again (replays, re-emits): nothing inserted
    conflicts: int = 0  # refused records and gaps, in `audit_conflicts`: each one an alert
    checkpoints: int = 0
    problems: Counter[str] = field(default_factory=Counter)  # conflicts by kind (metrics)


@dataclass(frozen=True)
class _Read:
    where: HeadKey
    offset: int
    record: dict[str, Any]


class AuditSink:
    def __init__(self, consumer: AIOKafkaConsumer, warehouse: Warehouse,
                 on_batch: Callable[[], None] | None = None,
                 checkpointer: Checkpointer | None = None,
                 signatures: AuditSignatures | None = None) -> None:
        self.consumer, self.warehouse = consumer, warehouse
        # the worker's signature on its audit records (streams/audit/signatures.py)
        self.signatures = signatures
        self.on_batch = on_batch  # called after each durable batch (e.g. a Parquet snapshot)
        self.checkpointer = checkpointer
        self.stats = SinkStats()
        self.guard: ChainGuard | None = None
        self.observer = LoopObserver()  # metrics and health (streams.metrics.audit_sink)

    async def run(self, replay: bool = False, stop_at_end: bool = False,
                  max_seconds: float | None = None) -> SinkStats:
        self.guard = ChainGuard(await asyncio.to_thread(self.warehouse.heads))
        ends = await self._assigned(replay) if (replay or stop_at_end) else None
        deadline = None if max_seconds is None else time.monotonic() + max_seconds
        self.observer.started(self.consumer)
        while deadline is None or time.monotonic() < deadline:
            self.observer.beat()
            batches = await self.consumer.getmany(timeout_ms=500, max_records=2000)
            if batches:
                await self._load(batches)
            elif stop_at_end and ends is not None and await self._caught_up(ends):
                break
            if self.checkpointer is not None:
                await self.checkpointer.flush()
        self.observer.stopped()
        if self.checkpointer is not None:
            await self.checkpointer.flush(force=True)
            self.stats.checkpoints = self.checkpointer.written
        return self.stats

    async def _load(self, batches: dict[TopicPartition, list[Any]]) -> None:
        assert self.guard is not None
        now = datetime.now(UTC)
        batch, nexts, older = SinkBatch(), list[_Read](), list[_Read]()
        for tp, messages in batches.items():
            for message in messages:
                self.stats.read += 1
                record = _audit_record(message.value)
                if record is None:
                    self.stats.skipped += 1
                    log.warning("skipping a record that is not an audit record at %s[%d]@%d",
                                tp.topic, tp.partition, message.offset)
                    continue
                read = _Read((tp.topic, tp.partition), message.offset, record)
                unsigned = None if self.signatures is None else self.signatures.problem(
                    tp.topic, tp.partition, message.offset, message.key, message.value,
                    message.headers)
                if unsigned is not None:  # never a link: not loaded, never checkpointed
                    batch.conflicts.append(_conflict(read, "bad_signature", unsigned, now))
                    continue
                checked = self.guard.check(tp.topic, tp.partition, record)
                if checked.problem is not None:
                    batch.conflicts.append(_conflict(read, checked.problem, checked.detail, now))
                if checked.disposition == "next":
                    nexts.append(read)
                elif checked.disposition == "older":
                    older.append(read)
        stored = await asyncio.to_thread(self.warehouse.existing,
                                         [r.record["event_id"] for r in nexts + older])
        self._sort(nexts, older, stored, batch, now)
        batch.heads = {where: self.guard.heads[where] for where in {r.where for r in nexts}}
        self.stats.inserted += await asyncio.to_thread(self.warehouse.write, batch)
        for conflict in batch.conflicts:
            self.stats.conflicts += 1
            self.stats.problems[conflict.problem] += 1
            log.error("ALERT: audit chain problem %s at %s[%d]@%d (event %s, seq %s): %s",
                      conflict.problem, conflict.audit_topic, conflict.kafka_partition,
                      conflict.kafka_offset, conflict.event_id, conflict.seq, conflict.detail)
        await self.consumer.commit({tp: messages[-1].offset + 1
                                    for tp, messages in batches.items() if messages})
        self.observer.committed(batches)
        if self.checkpointer is not None:
            for read in nexts:
                chain = read.record["chain"]
                self.checkpointer.verified(read.where, Head(chain["seq"], chain["hash"]),
                                           read.offset)
        if self.on_batch is not None:
            self.on_batch()

    def _sort(self, nexts: list[_Read], older: list[_Read], stored: dict[str, dict[str, Any]],
              batch: SinkBatch, now: datetime) -> None:
        """Rows to insert, duplicates to drop, conflicts to record: by event_id."""
        known = dict(stored)
        for read in nexts:
            event_id = read.record["event_id"]
            prior = known.get(event_id)
            if prior is None:
                batch.rows.append(read.record)
                known[event_id] = read.record
            elif same_event(prior, read.record):
                self.stats.duplicates += 1
            else:
                batch.conflicts.append(_conflict(read, "conflict", f"event {event_id} is "
                                                 "stored already with other content", now))
        for read in older:
            prior = known.get(read.record["event_id"])
            if prior is not None and same_event(prior, read.record):
                self.stats.duplicates += 1  # a replay of what was verified before
                continue
            batch.conflicts.append(_conflict(read, "conflict", f"seq {read.record['chain']['seq']}"
                                             " again, with other content than the verified "
                                             "chain", now))

    async def _assigned(self, replay: bool) -> dict[TopicPartition, int]:
        """Wait for the group's assignment; rewind it for a replay; its end offsets now."""
        while not self.consumer.assignment():  # the group join runs in the background
            await asyncio.sleep(0.1)
        assignment = list(self.consumer.assignment())
        if replay:
            await self.consumer.seek_to_beginning(*assignment)
        return dict(await self.consumer.end_offsets(assignment))

    async def _caught_up(self, ends: dict[TopicPartition, int]) -> bool:
        for tp, end in ends.items():
            if await self.consumer.position(tp) < end:
                return False
        return True


def _conflict(read: _Read, problem: str, detail: str, now: datetime) -> Conflict:
    return Conflict(audit_topic=read.where[0], kafka_partition=read.where[1],
                    kafka_offset=read.offset, problem=problem,
                    event_id=str(read.record.get("event_id")),
                    seq=read.record["chain"]["seq"], detail=detail, detected_at=now,
                    record=read.record)


def _audit_record(value: bytes | None) -> dict[str, Any] | None:
    record = parse_chained(value)
    if record is None:
        return None
    try:
        row(record)
    except (KeyError, TypeError, ValueError):
        return None
    return record
