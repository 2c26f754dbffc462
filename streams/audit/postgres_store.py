"""The PostgreSQL warehouse (psycopg 3): the same tables, rows committed per batch."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg

from streams.audit.chain_guard import Head, HeadKey
from streams.audit.checkpoints import Checkpoint
from streams.audit.warehouse import (
    CHECKPOINTS,
    CONFLICTS,
    HEADS,
    TABLE,
    SinkBatch,
    checkpoint_row,
    conflict_row,
    create_table_sql,
    head_rows,
    insert_ignore_sql,
    insert_sql,
    row,
    side_tables_sql,
    stored_record,
    upsert_head_sql,
)


class PostgresWarehouse:
    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url)
        with self.conn.transaction():
            for sql in (create_table_sql("postgres"), *side_tables_sql("postgres")):
                self.conn.execute(sql)

    def write(self, batch: SinkBatch) -> int:
        inserted = 0
        with self.conn.transaction(), self.conn.cursor() as cursor:
            if batch.rows:
                cursor.executemany(insert_sql("%s"), [row(r) for r in batch.rows],
                                   returning=False)
                inserted = max(cursor.rowcount, 0)
            if batch.conflicts:
                cursor.executemany(insert_ignore_sql(CONFLICTS, "%s"),
                                   [conflict_row(c) for c in batch.conflicts])
            if batch.heads:
                cursor.executemany(upsert_head_sql("%s"), head_rows(batch.heads))
        return inserted

    def existing(self, event_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids = sorted(set(event_ids))
        if not ids:
            return {}
        found = self.conn.execute(f"SELECT event_id, record FROM {TABLE} "
                                  "WHERE event_id = ANY(%s)", (ids,)).fetchall()
        self.conn.commit()
        return {event_id: stored_record(record) for event_id, record in found}

    def heads(self) -> dict[HeadKey, Head]:
        found = self.conn.execute(f"SELECT audit_topic, audit_partition, seq, hash FROM {HEADS}")
        rows = found.fetchall()
        self.conn.commit()
        return {(t, p): Head(s, h) for t, p, s, h in rows}

    def add_checkpoints(self, checkpoints: Sequence[Checkpoint]) -> None:
        if checkpoints:
            with self.conn.transaction(), self.conn.cursor() as cursor:
                cursor.executemany(insert_ignore_sql(CHECKPOINTS, "%s"),
                                   [checkpoint_row(c) for c in checkpoints])

    def count(self, table: str = TABLE) -> int:
        result = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        self.conn.commit()
        return int(result[0]) if result else 0

    def close(self) -> None:
        self.conn.close()
