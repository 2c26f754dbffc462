"""A queue over dicts with a short-duration policy, and review items to put in it."""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from detectors import DetectorEngine
from policies import load_policy, shipped_policy_path
from policies.decision import Decision, SafetyDecision, SourceRef
from policies.redact import HashKey
from policies.sections.review import ReviewPolicy
from policies.sections.routing import RoutingPolicy
from sampling.record import ReviewItem, SamplingRecord
from streams.review.queue import ReviewQueue
from streams.review.recheck import ReleaseCheck
from streams.review.state import QueueState

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SNAPSHOT = "2026.1:" + "ab" * 8
KEY = HashKey.from_secret(b"k" * 32)

REVIEW_POLICY: dict[str, Any] = {
    "target_wait": {"median": "60s", "p95": "300s"}, "max_open_per_reviewer": 2,
    "escalate_after": "600s", "claim_expiry": "120s",
    "risk_levels": {"high": ["financial"], "medium": ["prod"]},
    "timeouts": {"high": {"after": "900s", "action": "auto-reject"},
                 "medium": {"after": "900s", "action": "escalate"},
                 "low": {"after": "900s", "action": "auto-approve"}},
    "fatigue": {"cooldown_after_approvals": 3, "cooldown": "300s", "second_review_rate": 0.5},
}
REVIEW = ReviewPolicy.model_validate(REVIEW_POLICY)


def review_with(**fatigue: Any) -> ReviewPolicy:
    return ReviewPolicy.model_validate(
        {**REVIEW_POLICY, "fatigue": {**REVIEW_POLICY["fatigue"], **fatigue}})
ROUTING = RoutingPolicy.model_validate({
    "groups": {"ops": {}, "leads": {}, "finance": {"reviewers": ["fay"]}},
    "default_group": "ops", "escalation_group": "leads"})


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def item(n: int, *, decision: Decision = Decision.REDACT, tags: tuple[str, ...] = (),
         group: str = "ops", rules: tuple[str, ...] = ("ssn-redact",),
         enqueued: float = 0.0) -> ReviewItem:
    sampling = SamplingRecord(
        selected=True, mandatory_reasons=(), stratum="default", weight=1.0, probability=1.0,
        draw=0.1, drawn=True, budget_dropped=False, budget_window_start=None,
        inclusion_probability=1.0, reviewer_group=group, key_id="k1")
    return ReviewItem(
        item_id=f"rv-{n}", job_id=f"job-{n}", agent_id="agent-a", action="job.x.y",
        tenant="acme", risk_tags=tags, amount_usd=None, affected_users=None, decision=decision,
        output={"text": "[REDACTED:US_SSN]"}, redactions=(), findings=(), rule_ids=rules,
        reasons=(), sampling=sampling, policy_snapshot=SNAPSHOT,
        job_hash="sha256:" + "0" * 64, decided_at=at(enqueued), source=source(n))


def source(n: int) -> SourceRef:
    return SourceRef(topic="agent.actions", partition=0, offset=n)


def quarantined(n: int, output: Any = None) -> SafetyDecision:
    return SafetyDecision(job_id=f"job-{n}", agent_id="agent-a", action="job.x.y",
                          decision=Decision.QUARANTINE, output=output or {"text": "raw"},
                          policy_snapshot=SNAPSHOT, job_hash="sha256:" + "0" * 64,
                          decided_at=T0, source=source(n))


@functools.cache
def default_check(rescan_timeout_ms: int = 30_000) -> ReleaseCheck:
    """The shipped default policy and its detectors, as the service rechecks releases."""
    policy = load_policy(shipped_policy_path("default"))
    return ReleaseCheck(policy, DetectorEngine(entities=policy.policy.scanned_entities()), KEY,
                        rescan_timeout_ms, time.perf_counter)


def make_queue(review: ReviewPolicy = REVIEW, draw: float = 0.5,
               check: ReleaseCheck | None = None) -> ReviewQueue:
    return ReviewQueue(QueueState.in_memory(), review, ROUTING, KEY, "review-test",
                       check or default_check(), draw=lambda _: draw)


@pytest.fixture
def queue() -> ReviewQueue:
    return make_queue()
