"""Escalated items say where they came from, who moved them and why: the queue's clock (age,
timeout) or a reviewer (the verified principal) who held the item and gave a reason."""

from __future__ import annotations

from policies.decision import Decision
from sampling.verdict import VerdictKind
from streams.audit.evidence import evidence_problems
from streams.review.entry import QUEUE_CLOCK, Status
from streams.review.queue import ReviewQueue
from streams.review.state import Refusal
from tests.unit.review.conftest import at, item


def test_the_clock_records_where_an_old_item_came_from_and_why(queue: ReviewQueue) -> None:
    queue.enqueue(item(1))
    queue.enqueue(item(2, decision=Decision.QUARANTINE, enqueued=0))
    queue.tick(at(650))
    note = queue.state.entries["rv-1"].escalation
    assert note is not None
    assert (note.from_group, note.by, note.reason) == ("ops", QUEUE_CLOCK, "age")
    assert note.why == "waited 10m 50s, past the escalation age (10m)"


def test_a_timeout_that_would_auto_approve_quarantine_says_it_escalated_instead(
        queue: ReviewQueue) -> None:
    queue.enqueue(item(4, decision=Decision.QUARANTINE))
    queue.tick(at(901))
    note = queue.state.entries["rv-4"].escalation
    assert note is not None and note.reason == "timeout"
    assert note.why == ("low-risk item waited past its timeout (15m): escalated instead of "
                        "auto-approved, as only a person releases a quarantined result")


def test_a_reviewer_escalates_an_item_they_hold_saying_why(queue: ReviewQueue) -> None:
    queue.enqueue(item(1, decision=Decision.QUARANTINE).model_copy(update={"trace_id": "t-9"}))
    not_claimed = queue.plan_escalate("rv-1", "ann", "over my head", at(1))
    assert isinstance(not_claimed, Refusal) and "pull it first" in not_claimed.message
    queue.pull("ops", "ann", at(2))
    for comment in (None, "", "  "):
        refused = queue.plan_escalate("rv-1", "ann", comment, at(3))
        assert isinstance(refused, Refusal) and refused.status == 422
        assert "a comment is required to escalate" in refused.message
    assert queue.state.entries["rv-1"].group == "ops", "a refusal moves nothing"
    planned = queue.plan_escalate("rv-1", "ann", "refund to a new account: needs a lead", at(4))
    assert not isinstance(planned, Refusal)
    [record] = planned.effects.audit
    assert evidence_problems(record) == []
    assert (record.approver_id, record.trace_id, record.payload.kind) == ("ann", "t-9",
                                                                          "escalation")
    assert record.payload.reason == "reviewer" and record.payload.comment_hash
    assert "new account" not in record.model_dump_json(), "the reason is kept as a hash only"
    queue.apply(planned)
    entry = queue.state.entries["rv-1"]
    assert (entry.group, entry.status, entry.escalated) == ("leads", Status.OPEN, True)
    assert entry.escalation is not None
    assert (entry.escalation.from_group, entry.escalation.by, entry.escalation.why) == \
        ("ops", "ann", "refund to a new account: needs a lead")
    late = queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(5))
    assert isinstance(late, Refusal) and "moved to group 'leads'" in late.message
    again = queue.plan_escalate("rv-1", "lee", "again", at(6))
    assert isinstance(again, Refusal)


def test_an_escalation_audit_record_a_person_made_must_name_them(queue: ReviewQueue) -> None:
    queue.enqueue(item(1))
    queue.pull("ops", "ann", at(1))
    planned = queue.plan_escalate("rv-1", "ann", "needs a lead", at(2))
    assert not isinstance(planned, Refusal)
    [record] = planned.effects.audit
    anonymous = record.model_copy(update={"approver_id": None})
    assert evidence_problems(anonymous) == [
        "approver_id is required for an escalation a person made"]


def test_the_reviewer_who_escalated_an_item_can_neither_pull_nor_decide_it(
        queue: ReviewQueue) -> None:
    """Before: a reviewer of both groups escalated an item to the leads, pulled it from the
    leads' queue and approved it alone: the escalation asked for other eyes and got none."""
    queue.enqueue(item(1, decision=Decision.QUARANTINE))
    queue.pull("ops", "ann", at(1))
    planned = queue.plan_escalate("rv-1", "ann", "a refund to a new account: needs a lead",
                                  at(2))
    assert not isinstance(planned, Refusal)
    queue.apply(planned)
    pulled = queue.pull("leads", "ann", at(3))
    assert not isinstance(pulled, Refusal) and pulled.claimed == []
    refused = queue.decide("rv-1", "ann", VerdictKind.REJECT, at(4), comment="mine")
    assert isinstance(refused, Refusal) and refused.status == 409
    assert "on your escalation; a different reviewer must decide it" in refused.message
    lee = queue.pull("leads", "lee", at(5))
    assert not isinstance(lee, Refusal) and [e.entry_id for e in lee.claimed] == ["rv-1"]
    assert not isinstance(queue.decide("rv-1", "lee", VerdictKind.REJECT, at(6),
                                       comment="not to a new account"), Refusal)


def test_an_item_the_clock_escalated_may_be_decided_by_whoever_held_it(
        queue: ReviewQueue) -> None:
    queue.enqueue(item(1))
    queue.pull("ops", "ann", at(1))
    queue.tick(at(650))  # past the escalation age: moved by the clock, not by ann
    pulled = queue.pull("leads", "ann", at(651))
    assert not isinstance(pulled, Refusal) and [e.entry_id for e in pulled.claimed] == ["rv-1"]
