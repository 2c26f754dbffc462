"""Claim expiry, escalation on age, timeouts by risk, and the queue statistics."""

from __future__ import annotations

from policies.decision import Decision
from sampling.verdict import VerdictKind
from streams.review.claims import Pulled
from streams.review.entry import TIMEOUT_APPROVER, Status
from streams.review.queue import ReviewQueue
from streams.review.state import Refusal
from streams.review.stats import RELAX_MIN_VERDICTS, percentile
from tests.unit.review.conftest import at, item, make_queue, quarantined, review_with


def test_claims_expire_when_the_reviewer_goes_silent(queue: ReviewQueue) -> None:
    queue.enqueue(item(1))
    queue.enqueue(item(2))
    queue.pull("ops", "ann", at(0))
    queue.show("rv-2", "ann", at(100))  # ann is active: her claims stay
    ticked, _ = queue.tick(at(200))
    assert not ticked.expired_claims
    ticked, _ = queue.tick(at(221))
    assert sorted(ticked.expired_claims) == [("rv-1", "ann"), ("rv-2", "ann")]
    late = queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(222))
    assert isinstance(late, Refusal) and "expired" in late.message
    taken = queue.pull("ops", "bob", at(223))
    assert isinstance(taken, Pulled) and len(taken.claimed) == 2


def test_old_items_escalate_once_and_claims_are_withdrawn(queue: ReviewQueue) -> None:
    queue.enqueue(item(1))
    queue.pull("ops", "ann", at(0))
    queue.show("rv-1", "ann", at(590))
    ticked, effects = queue.tick(at(600))
    [escalation] = ticked.escalations
    assert (escalation.from_group, escalation.entry.group, escalation.reason) == \
        ("ops", "leads", "age")
    assert effects.audit[0].event_type == "escalation"
    assert effects.audit[0].payload.kind == "escalation"
    late = queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(601))
    assert isinstance(late, Refusal) and "moved to group 'leads'" in late.message
    assert not queue.tick(at(700))[0].escalations, "escalated once"
    taken = queue.pull("leads", "lee", at(701))
    assert isinstance(taken, Pulled) and [e.entry_id for e in taken.claimed] == ["rv-1"]


def test_timeouts_by_risk() -> None:
    queue = make_queue()
    queue.enqueue(item(1, tags=("financial",), group="leads"))  # high: auto-reject
    queue.enqueue(item(2, tags=("prod",)))  # medium: escalate
    queue.enqueue(item(3))  # low: auto-approve
    queue.enqueue(item(4, decision=Decision.QUARANTINE))  # low, but quarantined: escalate
    queue.hold(quarantined(4))
    ticked, effects = queue.tick(at(900))
    verdicts = {v.job_id: v for v, _ in ticked.verdicts}
    assert verdicts["job-1"].verdict is VerdictKind.REJECT
    assert verdicts["job-3"].verdict is VerdictKind.APPROVE
    assert all(v.automatic and v.approver_id == TIMEOUT_APPROVER for v in verdicts.values())
    assert sorted((e.entry.entry_id, e.reason) for e in ticked.escalations) == \
        [("rv-2", "timeout"), ("rv-4", "timeout")]
    assert not effects.releases, "a timeout never releases a quarantined result"
    assert {r.event_type for r in effects.audit} == {"verdict", "escalation"}
    assert all(r.approver_id == TIMEOUT_APPROVER for r in effects.audit
               if r.event_type == "verdict")
    assert queue.state.entries["rv-4"].status is Status.OPEN


def test_stats_waits_open_claims_and_rules_to_relax() -> None:
    queue = make_queue(review_with(cooldown_after_approvals=1000))
    for n in range(RELAX_MIN_VERDICTS + 1):
        queue.enqueue(item(n, rules=("contact-redact",)))
    for step in range(RELAX_MIN_VERDICTS // 2):  # two at a time, the open-item limit
        taken = queue.pull("ops", "ann", at(step * 20))
        assert isinstance(taken, Pulled)
        for entry in taken.claimed:
            queue.decide(entry.entry_id, "ann", VerdictKind.APPROVE, at(step * 20 + 1))
    queue.pull("ops", "bob", at(300))
    stats = queue.stats(at(400))
    ops = stats["groups"]["ops"]
    assert ops["items"] == RELAX_MIN_VERDICTS + 1 and ops["open"] == 1
    assert (ops["wait_median_s"], ops["wait_p95_s"]) == (101.0, 181.0)
    assert ops["median_over_target"] is True and ops["p95_over_target"] is False
    assert stats["open_per_reviewer"] == {"bob": 1}
    rule = stats["rules"]["contact-redact"]
    assert rule["approval_rate"] == 1.0 and "candidate to relax" in rule["hint"]


def test_percentile_nearest_rank() -> None:
    assert percentile([], 0.5) is None
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
