"""Audit records for the audit unit tests: valid ones, sealed into a chain like the worker does."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from policies import Decision
from streams.audit.chain import AuditChain
from streams.audit.verify import Entry
from streams.records import AuditRecord, DecisionPayload, SourceRef

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def audit(offset: int, partition: int = 0, **changes: Any) -> AuditRecord:
    record = AuditRecord(
        event_id=f"evt-{partition}-{offset}", event_type="decision", job_id=f"job-{offset}",
        agent_id="agent-7", action="job.support.lookup", tenant="acme", trace_id=None,
        policy_snapshot="3:0123456789abcdef", job_hash="sha256:" + "ab" * 32, decision_ts=NOW,
        decider="worker-1", hash_key_id="k1",
        source=SourceRef(topic="in", partition=partition, offset=offset),
        payload=DecisionPayload(decision=Decision.REDACT, rule_ids=("pii",), reasons=(),
                                redactions=(), findings=()),
    )
    return record.model_copy(update=changes)


def chained(count: int, partitions: int = 1) -> list[bytes]:
    """`count` records per partition, sealed in order; partition p's records first."""
    chain = AuditChain.fresh(partitions)
    return [chain.seal(audit(offset, p), p).value
            for p in range(partitions) for offset in range(count)]


def entries(values: list[bytes]) -> list[Entry]:
    """As read from an export file: no Kafka partition, positions are line numbers."""
    return [Entry(None, line, value) for line, value in enumerate(values, start=1)]


def edit(value: bytes, **fields: Any) -> bytes:
    record = json.loads(value)
    record.update(fields)
    return json.dumps(record).encode()
