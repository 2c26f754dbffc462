"""The evidence contract: what every audit record must carry before it may be written.

A record that fails it never reaches the audit topic; whoever made it (the worker's pipeline,
the review queue, the autonomy scorer) sends it to the dead-letter topic with these problems as
the reason (`rejected_audit_letter`).
"""

from __future__ import annotations

import re
from datetime import datetime

from streams.records import AuditRecord, DeadLetter, SourceRef, b64

SNAPSHOT = re.compile(r"^[^\s:]+:[0-9a-f]{16,64}$")  # policy `version:content-hash`
JOB_HASH = re.compile(r"^sha256:[0-9a-f]{64}$")
IDENTITY = re.compile(r"^\S{1,200}$")
# Event types decided by a person name the approver; the others are automated (a worker id).
NEEDS_APPROVER = frozenset({"verdict"})


def evidence_problems(record: AuditRecord) -> list[str]:
    """Everything that makes the record unfit for the audit trail; empty when it is fit."""
    problems = [] if record.event_id else ["event_id is empty"]
    if record.payload.kind != record.event_type:
        problems.append(f"payload kind '{record.payload.kind}' does not match event_type "
                        f"'{record.event_type}'")
    problems += _evidence(record.policy_snapshot, record.job_hash, record.decision_ts,
                          record.decider)
    if record.event_type in NEEDS_APPROVER and not IDENTITY.match(record.approver_id or ""):
        problems.append(f"approver_id is required for a {record.event_type} record")
    payload = record.payload
    if (payload.kind == "escalation" and payload.reason == "reviewer"
            and not IDENTITY.match(record.approver_id or "")):
        problems.append("approver_id is required for an escalation a person made")
    if (payload.kind == "autonomy_change" and payload.trigger in ("signoff", "manual")
            and not IDENTITY.match(record.approver_id or "")):
        problems.append("approver_id is required for an autonomy change a person made")
    return problems


def decision_problems(event_id: str, policy_snapshot: str, job_hash: str,
                      decision_ts: datetime, decider: str) -> list[str]:
    """`evidence_problems` of a decision's audit record with these fields (the worker builds
    it as plain values: streams/worker/result_records.py). The policy snapshot, the time and
    the worker id are the same objects for a whole batch (a policy's, the batch's, the
    worker's): the last ones found fit are remembered by identity (they are immutable), so a
    record that shares them has only its event id and job hash checked."""
    global _fit
    fit = _fit
    if (fit is not None and event_id and fit[0] is policy_snapshot and fit[1] is decision_ts
            and fit[2] is decider and JOB_HASH.match(job_hash)):
        return []
    problems = [] if event_id else ["event_id is empty"]
    problems += _evidence(policy_snapshot, job_hash, decision_ts, decider)
    if not problems:
        _fit = (policy_snapshot, decision_ts, decider)
    return problems


# The policy snapshot, decision time and decider of the last decision record found fit.
_fit: tuple[str, datetime, str] | None = None


def _evidence(policy_snapshot: str, job_hash: str, decision_ts: datetime,
              decider: str) -> list[str]:
    problems = []
    if not SNAPSHOT.match(policy_snapshot):
        problems.append("policy_snapshot is missing or not 'version:hash'")
    if not JOB_HASH.match(job_hash):
        problems.append("job_hash is missing or not 'sha256:<64 hex>'")
    if decision_ts.tzinfo is None or decision_ts.utcoffset() is None:
        problems.append("decision_ts has no time zone")
    if not IDENTITY.match(decider):
        problems.append("decider (worker id) is missing or not a single token")
    return problems


def rejected_audit_letter(record: AuditRecord, problems: list[str], worker_id: str,
                          now: datetime, source: SourceRef | None = None,
                          key: bytes | None = None) -> DeadLetter:
    """The dead letter for an audit record that fails the contract (it holds no raw values)."""
    return DeadLetter(
        error="evidence_contract", reason="; ".join(problems), source=source,
        key_b64=b64(key), value_b64=None,
        received_at=now, worker_id=worker_id, rejected_record=record.model_dump(mode="json"))
