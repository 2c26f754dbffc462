"""Records Afterguard writes besides the safety decision: audit records and dead letters."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from policies.decision import Decision, Redaction

SCHEMA_VERSION = 1


class SourceRef(BaseModel):
    """Where an input record came from."""

    model_config = ConfigDict(frozen=True)

    topic: str
    partition: int
    offset: int


class FindingSummary(BaseModel):
    """What was found at one path, without the value: entity, count and keyed hashes."""

    model_config = ConfigDict(frozen=True)

    entity: str
    path: str
    count: int
    detector: str
    rule_id: str
    decision: Decision
    value_hashes: tuple[str, ...]


class AuditRecord(BaseModel):
    """One record per decision on the audit topic."""

    model_config = ConfigDict(frozen=True)

    event_id: str
    event_type: Literal["decision"] = "decision"
    schema_version: int = SCHEMA_VERSION
    job_id: str
    agent_id: str
    action: str
    tenant: str | None
    trace_id: str | None
    decision: Decision
    rule_ids: tuple[str, ...]
    reasons: tuple[str, ...]
    redactions: tuple[Redaction, ...]
    findings: tuple[FindingSummary, ...]
    policy_snapshot: str
    job_hash: str
    decision_ts: datetime
    decider: str
    hash_key_id: str
    source: SourceRef


class DeadLetter(BaseModel):
    """An input record that could not be processed, kept whole with a readable reason."""

    model_config = ConfigDict(frozen=True)

    error: Literal["not_json", "not_an_object", "invalid_record", "missing_value"]
    reason: str
    source: SourceRef
    key_b64: str | None
    value_b64: str | None
    received_at: datetime
    worker_id: str


def to_json_bytes(record: BaseModel | dict[str, Any]) -> bytes:
    if isinstance(record, BaseModel):
        return record.model_dump_json().encode()
    import json

    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
