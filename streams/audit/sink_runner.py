"""Wires the sink: the consumer (manual commits), the warehouse, the Parquet snapshots."""

from __future__ import annotations

import time
from pathlib import Path

from streams.audit.sink import AuditSink, SinkStats
from streams.audit.warehouse import Warehouse
from streams.kafka_connection import KafkaConnection

PARQUET_EVERY_S = 10.0


async def run_sink(kafka: KafkaConnection, topic: str, group: str, duckdb_path: Path,
                   parquet_dir: Path | None, postgres_url: str | None, replay: bool,
                   stop_at_end: bool) -> tuple[SinkStats, int]:
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

    topics = [name.strip() for name in topic.split(",") if name.strip()]
    consumer = kafka.consumer(*topics, group_id=group, enable_auto_commit=False,
                              auto_offset_reset="earliest",
                              isolation_level="read_committed")  # workers write in transactions
    await consumer.start()
    try:
        stats = await AuditSink(consumer, warehouse, on_batch).run(replay, stop_at_end)
        return stats, warehouse.count()
    finally:
        await consumer.stop()
        warehouse.close()
