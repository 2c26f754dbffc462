"""The default warehouse: a DuckDB file, and a Parquet snapshot of the table next to it."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb

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


class DuckDBWarehouse:
    def __init__(self, path: Path, parquet_dir: Path | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.parquet_dir = path, parquet_dir
        self.db = duckdb.connect(str(path))
        for sql in (create_table_sql("duckdb"), *side_tables_sql("duckdb")):
            self.db.execute(sql)

    def write(self, batch: SinkBatch) -> int:
        before = self.count()
        self.db.execute("BEGIN TRANSACTION")
        try:
            if batch.rows:
                self.db.executemany(insert_sql("?"), [row(r) for r in batch.rows])
            if batch.conflicts:
                self.db.executemany(insert_ignore_sql(CONFLICTS, "?"),
                                    [conflict_row(c) for c in batch.conflicts])
            if batch.heads:
                self.db.executemany(upsert_head_sql("?"), head_rows(batch.heads))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return self.count() - before

    def existing(self, event_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids = sorted(set(event_ids))
        if not ids:
            return {}
        found = self.db.execute(f"SELECT event_id, record FROM {TABLE} WHERE event_id IN "
                                f"({', '.join('?' * len(ids))})", ids).fetchall()
        return {event_id: stored_record(record) for event_id, record in found}

    def heads(self) -> dict[HeadKey, Head]:
        found = self.db.execute(f"SELECT audit_topic, audit_partition, seq, hash FROM {HEADS}")
        return {(t, p): Head(s, h) for t, p, s, h in found.fetchall()}

    def add_checkpoints(self, checkpoints: Sequence[Checkpoint]) -> None:
        if checkpoints:
            self.db.executemany(insert_ignore_sql(CHECKPOINTS, "?"),
                                [checkpoint_row(c) for c in checkpoints])

    def count(self, table: str = TABLE) -> int:
        result = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(result[0]) if result else 0

    def export_parquet(self) -> Path | None:
        """Rewrite the Parquet snapshot of the whole table (atomically: write, then rename)."""
        if self.parquet_dir is None:
            return None
        self.parquet_dir.mkdir(parents=True, exist_ok=True)
        target = self.parquet_dir / f"{TABLE}.parquet"
        partial = target.with_suffix(".parquet.partial")
        self.db.execute(f"COPY (SELECT * FROM {TABLE} ORDER BY audit_partition, chain_seq) "
                        f"TO '{partial}' (FORMAT PARQUET)")
        os.replace(partial, target)
        return target

    def close(self) -> None:
        self.export_parquet()
        self.db.close()
