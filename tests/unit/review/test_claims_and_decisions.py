"""Claims, limits, refusals, fatigue, second reviews and release of quarantined results."""

from __future__ import annotations

from policies.decision import Decision
from sampling.verdict import VerdictKind
from streams.review.claims import Pulled
from streams.review.deciding import Decided
from streams.review.queue import Effects, ReviewQueue
from streams.review.state import Refusal
from tests.unit.review.conftest import REVIEW, at, item, make_queue, quarantined


def pulled(result: Pulled | Refusal) -> list[str]:
    assert isinstance(result, Pulled), result
    return [e.entry_id for e in result.claimed]


def decided(result: tuple[Decided, Effects] | Refusal) -> tuple[Decided, Effects]:
    assert not isinstance(result, Refusal), result
    return result


def test_pull_claims_oldest_first_up_to_the_open_limit(queue: ReviewQueue) -> None:
    for n, t in ((1, 30), (2, 10), (3, 20)):
        queue.enqueue(item(n, enqueued=t))
    assert pulled(queue.pull("ops", "ann", at(40))) == ["rv-2", "rv-3"]
    full = queue.pull("ops", "ann", at(41))
    assert isinstance(full, Pulled) and not full.claimed and "limit" in (full.note or "")
    assert pulled(queue.pull("ops", "bob", at(42))) == ["rv-1"], "never an item already claimed"


def test_enqueue_is_idempotent_and_groups_are_checked(queue: ReviewQueue) -> None:
    assert queue.enqueue(item(1)) and not queue.enqueue(item(1))
    assert isinstance(queue.pull("nope", "ann", at(1)), Refusal)
    refused = queue.pull("finance", "ann", at(1))
    assert isinstance(refused, Refusal) and refused.status == 403


def test_verdicts_are_refused_unless_the_reviewer_holds_the_claim(queue: ReviewQueue) -> None:
    queue.enqueue(item(1))
    not_claimed = queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(5))
    assert isinstance(not_claimed, Refusal) and "pull it first" in not_claimed.message
    pulled(queue.pull("ops", "ann", at(6)))
    other = queue.decide("rv-1", "bob", VerdictKind.APPROVE, at(7))
    assert isinstance(other, Refusal) and "another reviewer" in other.message
    done, effects = decided(queue.decide("rv-1", "ann", VerdictKind.REJECT, at(8),
                                         comment="wrong customer"))
    assert done.verdict.approver_id == "ann" and done.verdict.claimed_at == at(6)
    assert effects.audit[0].approver_id == "ann" and effects.audit[0].event_type == "verdict"
    again = queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(9))
    assert isinstance(again, Refusal) and again.status == 409
    assert "already decided: reject by ann" in again.message


def test_modify_needs_an_output_and_releases_it(queue: ReviewQueue) -> None:
    queue.enqueue(item(1, decision=Decision.QUARANTINE))
    queue.hold(quarantined(1))
    pulled(queue.pull("ops", "ann", at(1)))
    missing = queue.decide("rv-1", "ann", VerdictKind.MODIFY, at(2), comment="edited")
    assert isinstance(missing, Refusal) and missing.status == 400
    _, effects = decided(queue.decide("rv-1", "ann", VerdictKind.MODIFY, at(3), comment="edited",
                                      modified_output={"text": "clean"}))
    assert [r.output for r in effects.releases] == [{"text": "clean"}]
    assert effects.audit[0].payload.kind == "verdict" and effects.audit[0].payload.released


def test_quarantine_released_once_after_approval_of_the_held_result(queue: ReviewQueue) -> None:
    queue.enqueue(item(1, decision=Decision.QUARANTINE))
    queue.enqueue(item(2, decision=Decision.QUARANTINE))
    queue.enqueue(item(3, decision=Decision.QUARANTINE))
    assert queue.hold(quarantined(1)) is True
    pulled(queue.pull("ops", "ann", at(1)))
    _, approved = decided(queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(2)))
    assert [r.output for r in approved.releases] == [{"text": "raw"}]
    early = queue.decide("rv-2", "ann", VerdictKind.APPROVE, at(3))
    assert isinstance(early, Refusal) and "not reached the review service" in early.message
    assert queue.hold(quarantined(2)) is True
    _, late = decided(queue.decide("rv-2", "ann", VerdictKind.APPROVE, at(3)))
    assert [r.job_id for r in late.releases] == ["job-2"]
    pulled(queue.pull("ops", "ann", at(4)))
    _, rejected = decided(queue.decide("rv-3", "ann", VerdictKind.REJECT, at(5), comment="no"))
    assert not rejected.releases, "a rejection needs no held result and releases nothing"
    assert queue.hold(quarantined(3)) is False, "a result rejected before it arrived stays so"
    assert queue.state.held["agent.actions/0/3"].state == "rejected"
    assert queue.hold(quarantined(1)) is False, "a redelivery changes nothing"


def test_cooldown_after_consecutive_approvals() -> None:
    queue = make_queue()
    for n in range(1, 6):
        queue.enqueue(item(n))
    pulled(queue.pull("ops", "ann", at(1)))
    decided(queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(2)))
    decided(queue.decide("rv-2", "ann", VerdictKind.APPROVE, at(3)))
    pulled(queue.pull("ops", "ann", at(4)))
    decided(queue.decide("rv-3", "ann", VerdictKind.REJECT, at(5), comment="no"))  # breaks the run
    decided(queue.decide("rv-4", "ann", VerdictKind.APPROVE, at(6)))
    assert isinstance(queue.pull("ops", "ann", at(7)), Pulled)
    decided(queue.decide("rv-5", "ann", VerdictKind.APPROVE, at(8)))
    queue.enqueue(item(6))
    queue.enqueue(item(7))
    pulled(queue.pull("ops", "ann", at(9)))
    decided(queue.decide("rv-6", "ann", VerdictKind.APPROVE, at(10)))  # third in a row
    cooling = queue.pull("ops", "ann", at(11))
    assert isinstance(cooling, Refusal) and cooling.status == 429
    queue.enqueue(item(8))
    assert pulled(queue.pull("ops", "ann", at(10 + REVIEW.fatigue.cooldown.total_seconds())))


def test_second_review_goes_to_a_different_reviewer_and_gates_release() -> None:
    queue = make_queue(draw=0.0)  # every approval sampled for a second review
    queue.enqueue(item(1, decision=Decision.QUARANTINE))
    queue.hold(quarantined(1))
    pulled(queue.pull("ops", "ann", at(1)))
    first, effects = decided(queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(2)))
    assert first.second_review is not None and not effects.releases
    assert pulled(queue.pull("ops", "ann", at(3))) == [], "never your own approval"
    own = queue.decide("rv-1-2nd", "ann", VerdictKind.APPROVE, at(4))
    assert isinstance(own, Refusal) and "your own approval" in own.message
    assert pulled(queue.pull("ops", "bob", at(5))) == ["rv-1-2nd"]
    second, effects = decided(queue.decide("rv-1-2nd", "bob", VerdictKind.APPROVE, at(6)))
    assert second.verdict.second_review_of == first.verdict.verdict_id
    assert second.second_review is None, "a second review is never reviewed again"
    assert [r.job_id for r in effects.releases] == ["job-1"]


def test_second_review_rejection_keeps_quarantine() -> None:
    queue = make_queue(draw=0.0)
    queue.enqueue(item(1, decision=Decision.QUARANTINE))
    queue.hold(quarantined(1))
    pulled(queue.pull("ops", "ann", at(1)))
    decided(queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(2)))
    pulled(queue.pull("ops", "bob", at(3)))
    _, effects = decided(queue.decide("rv-1-2nd", "bob", VerdictKind.REJECT, at(4),
                                         comment="disagree"))
    assert not effects.releases and effects.verdicts[0].is_error


def test_reject_modify_and_release_raw_need_a_comment(queue: ReviewQueue) -> None:
    queue.enqueue(item(1, decision=Decision.QUARANTINE))
    queue.hold(quarantined(1))
    pulled(queue.pull("ops", "ann", at(1)))
    for kind, extra in ((VerdictKind.REJECT, {}), (VerdictKind.MODIFY,
                                                   {"modified_output": {"text": "clean"}})):
        for comment in (None, "", "   \n"):
            refused = queue.decide("rv-1", "ann", kind, at(2), comment=comment, **extra)
            assert isinstance(refused, Refusal) and refused.status == 422
            assert f"a comment is required to {kind.value}" in refused.message
    raw = make_queue(review=REVIEW.model_copy(update={"release_raw": True}))
    raw.enqueue(item(1, decision=Decision.QUARANTINE))
    raw.hold(quarantined(1))
    pulled(raw.pull("ops", "ann", at(1)))
    refused = raw.decide("rv-1", "ann", VerdictKind.RELEASE_RAW, at(2))
    assert isinstance(refused, Refusal) and refused.status == 422
    assert queue.state.entries["rv-1"].outcome is None, "nothing was decided"
    _, effects = decided(queue.decide("rv-1", "ann", VerdictKind.REJECT, at(3),
                                      comment="wrong customer"))
    assert effects.verdicts[0].comment == "wrong customer"
    approved = make_queue()  # an approval explains itself: every finding was acknowledged
    approved.enqueue(item(2))
    pulled(approved.pull("ops", "ann", at(1)))
    decided(approved.decide("rv-2", "ann", VerdictKind.APPROVE, at(2)))
