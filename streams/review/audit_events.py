"""Audit records for the review service's events: verdicts and escalations (pure).

They are sealed into the review audit topic's own hash chain (see streams/review/audit_writer.py),
never into the worker's audit partitions: one writer per chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from policies.redact import HashKey
from sampling.verdict import Verdict, VerdictKind
from streams.records import AuditRecord, EscalationPayload, VerdictPayload
from streams.review.queue_timer import Escalation


def verdict_record(verdict: Verdict, tenant: str | None, decider: str, key: HashKey,
                   released: bool, trace_id: str | None = None) -> AuditRecord:
    modified_hash = None
    if verdict.verdict is VerdictKind.MODIFY:
        text = json.dumps(verdict.modified_output, sort_keys=True, separators=(",", ":"))
        modified_hash = "hmac:" + key.token(text, 32)
    payload = VerdictPayload(
        verdict_id=verdict.verdict_id, item_id=verdict.item_id, verdict=verdict.verdict.value,
        severity=verdict.severity, automatic=verdict.automatic,
        second_review_of=verdict.second_review_of, reviewer_group=verdict.reviewer_group,
        decision=verdict.decision, rule_ids=verdict.rule_ids, enqueued_at=verdict.enqueued_at,
        claimed_at=verdict.claimed_at, modified_output_hash=modified_hash, released=released)
    return AuditRecord(
        event_id=verdict.verdict_id, event_type="verdict", job_id=verdict.job_id,
        agent_id=verdict.agent_id, action=verdict.action, tenant=tenant, trace_id=trace_id,
        policy_snapshot=verdict.policy_snapshot, job_hash=verdict.job_hash,
        decision_ts=verdict.decided_at, decider=decider, approver_id=verdict.approver_id,
        hash_key_id=key.key_id, source=None, payload=payload)


def escalation_record(escalation: Escalation, decider: str, key: HashKey,
                      now: datetime) -> AuditRecord:
    entry = escalation.entry
    item = entry.item
    event_id = "esc-" + hashlib.sha256(
        f"{entry.entry_id}|{entry.group}|{now.isoformat()}".encode()).hexdigest()[:24]
    comment = escalation.comment
    payload = EscalationPayload(
        item_id=entry.entry_id, from_group=escalation.from_group, to_group=entry.group,
        reason=escalation.reason, waited_s=entry.age_s(now),
        released_claim_of=escalation.released_claim_of,
        comment_hash=None if comment is None else "hmac:" + key.token(comment, 32))
    return AuditRecord(
        event_id=event_id, event_type="escalation", job_id=item.job_id, agent_id=item.agent_id,
        action=item.action, tenant=item.tenant, trace_id=item.trace_id,
        policy_snapshot=item.policy_snapshot, job_hash=item.job_hash, decision_ts=now,
        decider=decider, hash_key_id=key.key_id, source=None, payload=payload,
        # a person's escalation names them, as a verdict does (the verified principal)
        approver_id=escalation.by if escalation.reason == "reviewer" else None)
