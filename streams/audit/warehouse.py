"""The warehouse table audit records are loaded into: one row per event_id, the same columns in
DuckDB and PostgreSQL, the whole record kept as JSON next to the columns analysts filter on.
Beside it: the chain heads the sink has verified (`afterguard_audit_heads`, its state), the
records it refused or found in conflict (`audit_conflicts`), and the signed checkpoints
(`afterguard_audit_checkpoints`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from streams.audit.chain_guard import Head, HeadKey
from streams.audit.checkpoints import Checkpoint

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


HEADS, CONFLICTS, CHECKPOINTS = "afterguard_audit_heads", "audit_conflicts", \
    "afterguard_audit_checkpoints"
# (table, columns as (name, DuckDB type, PostgreSQL type), primary key)
SIDE_TABLES: tuple[tuple[str, tuple[tuple[str, str, str], ...], str], ...] = (
    (HEADS, (("audit_topic", "VARCHAR", "TEXT"), ("audit_partition", "INTEGER", "INTEGER"),
             ("seq", "BIGINT", "BIGINT"), ("hash", "VARCHAR", "TEXT")),
     "audit_topic, audit_partition"),
    (CONFLICTS, (("audit_topic", "VARCHAR", "TEXT"), ("kafka_partition", "INTEGER", "INTEGER"),
                 ("kafka_offset", "BIGINT", "BIGINT"), ("problem", "VARCHAR", "TEXT"),
                 ("event_id", "VARCHAR", "TEXT"), ("seq", "BIGINT", "BIGINT"),
                 ("detail", "VARCHAR", "TEXT"), ("detected_at", "TIMESTAMPTZ", "TIMESTAMPTZ"),
                 ("record", "JSON", "JSONB")),
     "audit_topic, kafka_partition, kafka_offset, problem"),
    (CHECKPOINTS, (("audit_topic", "VARCHAR", "TEXT"), ("audit_partition", "INTEGER", "INTEGER"),
                   ("seq", "BIGINT", "BIGINT"), ("hash", "VARCHAR", "TEXT"),
                   ("kafka_offset", "BIGINT", "BIGINT"), ("signed_at", "TIMESTAMPTZ", "TIMESTAMPTZ"),
                   ("key_id", "VARCHAR", "TEXT"), ("checkpoint", "JSON", "JSONB")),
     "audit_topic, audit_partition, seq"),
)


@dataclass(frozen=True)
class Conflict:
    """A record the sink did not insert (or a gap before one it did), with why."""

    audit_topic: str
    kafka_partition: int
    kafka_offset: int
    problem: str  # conflict | edited | misplaced | broken_link | gap
    event_id: str | None
    seq: int | None
    detail: str
    detected_at: datetime
    record: dict[str, Any] | None


@dataclass
class SinkBatch:
    """What one durable step writes: rows, conflicts and the heads verified after them."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    heads: dict[HeadKey, Head] = field(default_factory=dict)


class Warehouse(Protocol):
    def write(self, batch: SinkBatch) -> int:
        """Insert the rows not there yet (by event_id; never replacing one), the conflicts and
        the heads, in one transaction; durable when it returns. Returns how many rows were new."""

    def existing(self, event_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored records of these event ids."""

    def heads(self) -> dict[HeadKey, Head]: ...

    def add_checkpoints(self, checkpoints: Sequence[Checkpoint]) -> None: ...

    def count(self, table: str = TABLE) -> int: ...

    def close(self) -> None: ...


def side_tables_sql(dialect: str) -> list[str]:
    index = 1 if dialect == "duckdb" else 2
    return [f"CREATE TABLE IF NOT EXISTS {name} ("
            + ", ".join(f"{c[0]} {c[index]}" for c in columns)
            + f", PRIMARY KEY ({key}))" for name, columns, key in SIDE_TABLES]


def upsert_head_sql(placeholder: str) -> str:
    return (f"INSERT INTO {HEADS} VALUES ({', '.join([placeholder] * 4)}) "
            "ON CONFLICT (audit_topic, audit_partition) DO UPDATE SET seq = excluded.seq, "
            "hash = excluded.hash")


def insert_ignore_sql(table: str, placeholder: str) -> str:
    columns = next(c for name, c, _ in SIDE_TABLES if name == table)
    return (f"INSERT INTO {table} VALUES ({', '.join([placeholder] * len(columns))}) "
            "ON CONFLICT DO NOTHING")


def conflict_row(c: Conflict) -> tuple[Any, ...]:
    return (c.audit_topic, c.kafka_partition, c.kafka_offset, c.problem, c.event_id, c.seq,
            c.detail, c.detected_at, _json(c.record) if c.record is not None else None)


def head_rows(heads: dict[HeadKey, Head]) -> list[tuple[Any, ...]]:
    return [(topic, partition, h.seq, h.hash) for (topic, partition), h in heads.items()]


def checkpoint_row(cp: Checkpoint) -> tuple[Any, ...]:
    return (cp.audit_topic, cp.partition, cp.seq, cp.hash, cp.offset, cp.at, cp.key_id,
            _json(cp.model_dump(mode="json")))


def stored_record(value: Any) -> dict[str, Any]:
    """A JSON column as the driver returns it (text in DuckDB, a dict from JSONB)."""
    return json.loads(value) if isinstance(value, str) else dict(value)


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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
        _json(record),
    )
