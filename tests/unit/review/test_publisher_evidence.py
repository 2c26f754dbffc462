"""The review service never writes an audit record that fails the evidence contract: it goes
to the dead-letter topic with the reason, and the chain is not touched."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from policies.decision import Decision
from streams.audit.chain import AuditChain
from streams.config import load_settings
from streams.records import AuditRecord, VerdictPayload
from streams.review.publisher import Publisher
from streams.review.queue import Effects

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


class FakeTopic:
    def __init__(self, name: str) -> None:
        self.name, self.sent = name, []  # type: ignore[var-annotated]

    async def send(self, key: bytes, value: bytes, partition: int | None = None) -> None:
        self.sent.append(json.loads(value))


class FakeApp:
    def __init__(self) -> None:
        self.topics: dict[str, FakeTopic] = {}

    def topic(self, name: str, **_: Any) -> FakeTopic:
        return self.topics.setdefault(name, FakeTopic(name))


class FakeKeeper:
    async def chain_for(self, _partitions: Any) -> AuditChain:
        return AuditChain.fresh(1)


def verdict_record(approver: str | None) -> AuditRecord:
    return AuditRecord(
        event_id="ev-1", event_type="verdict", job_id="j1", agent_id="a", action="job.x",
        tenant=None, trace_id=None, policy_snapshot="2026.11.1:0123456789abcdef",
        job_hash="sha256:" + "0" * 64, decision_ts=NOW, decider="review-1",
        approver_id=approver, hash_key_id="k1", source=None,
        payload=VerdictPayload(verdict_id="vd-1", item_id="rv-1", verdict="approve",
                               severity="none", automatic=False, second_review_of=None,
                               reviewer_group="ops-review", decision=Decision.QUARANTINE,
                               rule_ids=(), enqueued_at=NOW, claimed_at=None,
                               modified_output_hash=None))


def test_a_verdict_record_without_approver_is_a_dead_letter_not_an_audit_record() -> None:
    settings = load_settings({})
    app = FakeApp()
    publisher = Publisher(app, settings)
    publisher.keeper = FakeKeeper()  # type: ignore[assignment]
    asyncio.run(publisher.publish(Effects(audit=[verdict_record(None), verdict_record("ann")])))
    audited = app.topics[settings.topics.review_audit].sent
    letters = app.topics[settings.topics.deadletter].sent
    assert [r["approver_id"] for r in audited] == ["ann"]
    assert audited[0]["chain"]["seq"] == 1, "the rejected record took no place in the chain"
    assert [letter["error"] for letter in letters] == ["evidence_contract"]
    assert "approver_id" in letters[0]["reason"] and letters[0]["source"] is None
