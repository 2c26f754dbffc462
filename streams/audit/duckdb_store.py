"""The default warehouse: a DuckDB file, and a Parquet snapshot of the table next to it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from streams.audit.warehouse import TABLE, create_table_sql, insert_sql, row


class DuckDBWarehouse:
    def __init__(self, path: Path, parquet_dir: Path | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.parquet_dir = path, parquet_dir
        self.db = duckdb.connect(str(path))
        self.db.execute(create_table_sql("duckdb"))

    def write(self, records: Sequence[dict[str, Any]]) -> int:
        if not records:
            return 0
        before = self.count()
        self.db.execute("BEGIN TRANSACTION")
        try:
            self.db.executemany(insert_sql("?"), [row(r) for r in records])
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return self.count() - before

    def count(self) -> int:
        result = self.db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
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
