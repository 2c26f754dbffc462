"""Results are identified by their source record and job_hash, never by the agent's job_id:
a reused job_id neither replaces a held result nor merges two review items (issue 11, part 1)."""

from __future__ import annotations

from policies.decision import Decision, SafetyDecision, SourceRef
from sampling.record import ReviewItem, item_id_for
from sampling.verdict import VerdictKind
from streams.review.queue import ReviewQueue
from streams.review.release import Mismatch
from streams.review.state import Refusal
from tests.unit.review.conftest import at, item, quarantined
from tests.unit.review.test_claims_and_decisions import decided, pulled

OTHER_HASH = "sha256:" + "f" * 64


def same_job_id(n: int, *, offset: int, job_hash: str = "sha256:" + "0" * 64,
                output: str = "raw") -> tuple[ReviewItem, SafetyDecision]:
    """Result `n` again under job-1's id (another agent reusing it)."""
    source = SourceRef(topic="agent.actions", partition=0, offset=offset)
    review = item(n, decision=Decision.QUARANTINE).model_copy(update={
        "job_id": "job-1", "source": source, "job_hash": job_hash,
        "item_id": item_id_for(source, job_hash)})
    held = quarantined(n, {"text": output}).model_copy(update={
        "job_id": "job-1", "source": source, "job_hash": job_hash})
    return review, held


def test_two_results_with_one_job_id_are_two_items_and_two_holds(queue: ReviewQueue) -> None:
    benign_item, benign = same_job_id(1, offset=10, output="benign")
    swap_item, swap = same_job_id(2, offset=11, job_hash=OTHER_HASH, output="AKIA-secret")
    assert queue.enqueue(benign_item) is True and queue.enqueue(swap_item) is True
    assert queue.hold(benign) is True and queue.hold(swap) is True
    assert len(queue.state.held) == 2, "the second result never replaces the first"
    claimed = pulled(queue.pull("ops", "ann", at(1)))
    assert sorted(claimed) == sorted([benign_item.item_id, swap_item.item_id])


def test_approving_one_result_releases_that_result_only(queue: ReviewQueue) -> None:
    benign_item, benign = same_job_id(1, offset=10, output="benign")
    swap_item, swap = same_job_id(2, offset=11, job_hash=OTHER_HASH, output="AKIA-secret")
    queue.enqueue(benign_item)
    queue.enqueue(swap_item)
    queue.hold(benign)
    queue.hold(swap)
    pulled(queue.pull("ops", "ann", at(1)))
    _, effects = decided(queue.decide(benign_item.item_id, "ann", VerdictKind.APPROVE, at(2)))
    assert [r.output for r in effects.releases] == [{"text": "benign"}]
    assert effects.releases[0].source == benign.source
    assert effects.verdicts[0].source == benign.source
    assert effects.verdicts[0].job_hash == benign.job_hash


def test_a_hold_with_other_bytes_at_a_held_identity_changes_nothing(queue: ReviewQueue) -> None:
    first = quarantined(1, {"text": "benign"})
    forged = first.model_copy(update={"job_hash": OTHER_HASH, "output": {"text": "AKIA"}})
    queue.hold(first)
    assert isinstance(queue.hold(forged), Mismatch)
    held = queue.state.held[first.source.key]  # type: ignore[union-attr]
    assert held.decision is not None and held.decision.output == {"text": "benign"}


def test_a_verdict_naming_other_bytes_is_refused_and_releases_nothing(
        queue: ReviewQueue) -> None:
    forged_item = item(1, decision=Decision.QUARANTINE).model_copy(
        update={"job_hash": OTHER_HASH})
    queue.enqueue(forged_item)
    queue.hold(quarantined(1))  # the held result's bytes hash differently
    pulled(queue.pull("ops", "ann", at(1)))
    refused = queue.decide("rv-1", "ann", VerdictKind.APPROVE, at(2))
    assert isinstance(refused, Refusal) and "job_hash differs" in refused.message
    assert queue.state.held["agent.actions/0/1"].state == "held"


def test_items_and_holds_without_a_source_are_refused(queue: ReviewQueue) -> None:
    refused = queue.enqueue(item(1).model_copy(update={"source": None}))
    assert isinstance(refused, Refusal) and "source" in refused.message
    assert isinstance(queue.hold(quarantined(1).model_copy(update={"source": None})), Refusal)
    other = item(2).model_copy(update={"item_id": "rv-1"})
    queue.enqueue(item(1))
    taken = queue.enqueue(other)
    assert isinstance(taken, Refusal) and "already held" in taken.message
