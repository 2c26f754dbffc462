"""Wires the sink: the consumer (manual commits, committed records only), the warehouse, the
Parquet snapshots, and the checkpointer with its producer and the audit signing key."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaProducer

from streams.audit.checkpointer import Checkpointer
from streams.audit.checkpoints import Checkpoint, to_line
from streams.audit.signatures import AuditSignatures
from streams.audit.sink import AuditSink, SinkStats
from streams.audit.warehouse import Warehouse
from streams.config import ConfigError, load_settings
from streams.kafka_admin import ensure_topics, require_topics
from streams.kafka_connection import KafkaConnection
from streams.metrics.audit_sink import SINK_LOOP, SinkMetrics
from streams.metrics.health import EVENT_LOOP, Health
from streams.metrics.server import MetricsServer, new_registry, serve_metrics
from streams.signing import SigningKey

log = logging.getLogger(__name__)
PARQUET_EVERY_S = 10.0


@dataclass(frozen=True)
class CheckpointSettings:
    topic: str
    key: SigningKey
    every_records: int = 1000
    every_s: float = 60.0


async def run_sink(kafka: KafkaConnection, topic: str, group: str, duckdb_path: Path,
                   parquet_dir: Path | None, postgres_url: str | None, replay: bool,
                   stop_at_end: bool, checkpoints: CheckpointSettings | None = None,
                   signatures: AuditSignatures | None = None) -> tuple[SinkStats, int]:
    topics = [name.strip() for name in topic.split(",") if name.strip()]
    await require_topics(kafka, topics)  # a missing one is an error, never created by reading
    warehouse: Warehouse
    on_batch = None
    if postgres_url:
        from streams.audit.postgres_store import PostgresWarehouse
        warehouse = PostgresWarehouse(postgres_url)
    else:
        from streams.audit.duckdb_store import DuckDBWarehouse
        duck = warehouse = DuckDBWarehouse(duckdb_path, parquet_dir)
        last = [time.monotonic()]

        def on_batch() -> None:
            if time.monotonic() - last[0] >= PARQUET_EVERY_S:
                duck.export_parquet()
                last[0] = time.monotonic()

    consumer = kafka.consumer(*topics, group_id=group, enable_auto_commit=False,
                              auto_offset_reset="earliest",
                              isolation_level="read_committed")  # workers write in transactions
    producer = None
    checkpointer = None
    if checkpoints is not None:
        await ensure_topics(kafka, [checkpoints.topic], partitions=1)
        producer = kafka.producer(acks="all")
        await producer.start()
        checkpointer = checkpointer_for(checkpoints, producer, warehouse)
    await consumer.start()
    sink = AuditSink(consumer, warehouse, on_batch, checkpointer, signatures)
    server = None if stop_at_end else serve_sink_metrics(sink)  # a long-running sink only
    try:
        stats = await sink.run(replay, stop_at_end)
        return stats, warehouse.count()
    finally:
        if server is not None:
            server.stop()
        await consumer.stop()
        if producer is not None:
            await producer.stop()
        warehouse.close()


def serve_sink_metrics(sink: AuditSink, service: str = "audit-sink") -> MetricsServer | None:
    """The sink's metrics and health (docs/operations.md), settings from the environment."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        log.error("the %s runs without metrics: %s", service, exc)
        return None
    health = Health(settings.liveness_stall_s, ("chain heads loaded",),
                    loops=(EVENT_LOOP, SINK_LOOP))
    registry = new_registry()
    sink.observer = SinkMetrics(registry, health, sink)
    return serve_metrics(settings, service, registry, health)


def checkpointer_for(settings: CheckpointSettings, producer: AIOKafkaProducer,
                  warehouse: Warehouse) -> Checkpointer:
    async def send(checkpoint: Checkpoint) -> None:
        await producer.send_and_wait(settings.topic, to_line(checkpoint),
                                     key=checkpoint.kafka_key())

    async def store(made: Sequence[Checkpoint]) -> None:
        await asyncio.to_thread(warehouse.add_checkpoints, made)

    return Checkpointer(settings.key, send, store, settings.every_records, settings.every_s)
