"""The PostgreSQL warehouse (psycopg 3): the same table, rows committed per batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from streams.audit.warehouse import TABLE, create_table_sql, insert_sql, row


class PostgresWarehouse:
    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url)
        with self.conn.transaction():
            self.conn.execute(create_table_sql("postgres"))

    def write(self, records: Sequence[dict[str, Any]]) -> int:
        if not records:
            return 0
        with self.conn.transaction(), self.conn.cursor() as cursor:
            cursor.executemany(insert_sql("%s"), [row(r) for r in records], returning=False)
            inserted = cursor.rowcount
        return max(inserted, 0)

    def count(self) -> int:
        result = self.conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
        return int(result[0]) if result else 0

    def close(self) -> None:
        self.conn.close()
