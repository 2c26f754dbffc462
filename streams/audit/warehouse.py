"""The warehouse table audit records are loaded into: one row per event_id, the same columns in
DuckDB and PostgreSQL, the whole record kept as JSON next to the columns analysts filter on."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

TABLE = "afterguard_audit"

# (column, DuckDB type, PostgreSQL type)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("event_id", "VARCHAR PRIMARY KEY", "TEXT PRIMARY KEY"),
    ("event_type", "VARCHAR NOT NULL", "TEXT NOT NULL"),
    ("schema_version", "INTEGER NOT NULL", "INTEGER NOT NULL"),
    ("decision_ts", "TIMESTAMPTZ NOT NULL", "TIMESTAMPTZ NOT NULL"),
    ("job_id", "VARCHAR NOT NULL", "TEXT NOT NULL"),
    ("agent_id", "VARCHAR NOT NULL", "TEXT NOT NULL"),
    ("action", "VARCHAR NOT NULL", "TEXT NOT NULL"),
    ("tenant", "VARCHAR", "TEXT"),
    ("decision", "VARCHAR", "TEXT"),
    ("policy_snapshot", "VARCHAR NOT NULL", "TEXT NOT NULL"),
    ("job_hash", "VARCHAR NOT NULL", "TEXT NOT NULL"),
    ("decider", "VARCHAR NOT NULL", "TEXT NOT NULL"),
    ("approver_id", "VARCHAR", "TEXT"),
    ("audit_partition", "INTEGER NOT NULL", "INTEGER NOT NULL"),
    ("chain_seq", "BIGINT NOT NULL", "BIGINT NOT NULL"),
    ("chain_hash", "VARCHAR NOT NULL", "TEXT NOT NULL"),
    ("record", "JSON NOT NULL", "JSONB NOT NULL"),
)
NAMES = [name for name, _, _ in COLUMNS]


class Warehouse(Protocol):
    def write(self, records: Sequence[dict[str, Any]]) -> int:
        """Insert the records not there yet (by event_id); durable when it returns.
        Returns how many rows were new."""

    def count(self) -> int: ...

    def close(self) -> None: ...


def create_table_sql(dialect: str) -> str:
    index = 1 if dialect == "duckdb" else 2
    columns = ", ".join(f"{c[0]} {c[index]}" for c in COLUMNS)
    return f"CREATE TABLE IF NOT EXISTS {TABLE} ({columns})"


def insert_sql(placeholder: str) -> str:
    values = ", ".join([placeholder] * len(NAMES))
    return (f"INSERT INTO {TABLE} ({', '.join(NAMES)}) VALUES ({values}) "
            f"ON CONFLICT (event_id) DO NOTHING")


def row(record: dict[str, Any]) -> tuple[Any, ...]:
    """The column values of one audit record as on the wire (raises KeyError when incomplete)."""
    payload, chain = record.get("payload") or {}, record["chain"]
    return (
        record["event_id"], record["event_type"], record["schema_version"],
        datetime.fromisoformat(record["decision_ts"]), record["job_id"], record["agent_id"],
        record["action"], record.get("tenant"), payload.get("decision"),
        record["policy_snapshot"], record["job_hash"], record["decider"],
        record.get("approver_id"), chain["partition"], chain["seq"], chain["hash"],
        json.dumps(record, ensure_ascii=False, separators=(",", ":")),
    )
