"""An output withheld by the worker is marked in `output_withheld`, a field only the worker
writes; an agent's `output` shaped like such a reference is the agent's output, decided,
reviewed and released as any other (red team, 28 Nov: the review service refused to approve it
with 422 and showed reviewers a "reference" to another record)."""

from __future__ import annotations

import json
from typing import Any

from policies.decision import Decision, SafetyDecision
from sampling.record import ReviewItem
from sampling.verdict import VerdictKind
from streams.audit.chain import AuditChain
from streams.review.queue import ReviewQueue
from streams.review.state import Refusal
from tests.unit.review.conftest import at
from tests.unit.review.test_claims_and_decisions import decided, pulled
from tests.unit.worker.test_output_limits import MB, NOW, TOPICS, by_topic, decider, raw, result

AWS_KEY = "AKIA" + "QWERTYUIOPASDFGH"
# What an agent writes: the shape of the worker's reference, pointing at another agent's record,
# with a credential in it so that the result is quarantined and held.
FORGED = {"withheld": f"see the other record; key {AWS_KEY}",
          "source": {"topic": "in", "partition": 5, "offset": 1234},
          "job_hash": "sha256:" + "7" * 64, "record_bytes": 77}


def decided_by_worker(*records: Any) -> dict[str, list[dict[str, Any]]]:
    return by_topic(decider().decide(list(records), NOW, AuditChain.fresh(3)))


def held_and_claimed(queue: ReviewQueue, out: dict[str, list[dict[str, Any]]]) -> str:
    """The worker's hold and review item given to the review service, the item claimed."""
    [hold] = out[TOPICS.quarantine]
    [item] = out[TOPICS.review]
    review_item = ReviewItem.model_validate(item)
    review_item = review_item.model_copy(update={"sampling": review_item.sampling.model_copy(
        update={"reviewer_group": "ops"})})
    queue.enqueue(review_item)
    assert queue.hold(SafetyDecision.model_validate(hold)) is True
    assert pulled(queue.pull("ops", "ann", at(1))) == [review_item.item_id]
    return review_item.item_id


def test_an_output_shaped_like_a_reference_is_the_agents_output(queue: ReviewQueue) -> None:
    out = decided_by_worker(raw(3, result("forged", FORGED)))
    [hold] = out[TOPICS.quarantine]
    [item] = out[TOPICS.review]
    assert hold["decision"] == "QUARANTINE" and hold.get("output_withheld") is None
    assert item.get("output_withheld") is None
    item_id = held_and_claimed(queue, out)
    _, effects = decided(queue.decide(item_id, "ann", VerdictKind.APPROVE, at(2)))
    [released] = effects.releases
    assert released.output == {**FORGED, "withheld": "see the other record; key "
                                                     "[REDACTED:CREDENTIAL]"}
    assert released.output_withheld is None


def test_a_withheld_output_is_marked_outside_the_output(queue: ReviewQueue) -> None:
    out = decided_by_worker(raw(40, result("big", f"key {AWS_KEY} " + "x" * 5 * MB)))
    [hold] = out[TOPICS.quarantine]
    assert hold["output"] is None
    assert hold["output_withheld"]["source"] == {"topic": "in", "partition": 2, "offset": 40}
    assert hold["output_withheld"]["job_hash"] == hold["job_hash"]
    item_id = held_and_claimed(queue, out)
    refused = queue.decide(item_id, "ann", VerdictKind.APPROVE, at(2))
    assert isinstance(refused, Refusal) and refused.status == 422
    assert "too large to copy" in refused.message
    _, effects = decided(queue.decide(item_id, "ann", VerdictKind.MODIFY, at(3),
                                      comment="summarised", modified_output={"n": 1}))
    [released] = effects.releases
    assert released.output == {"n": 1} and released.output_withheld is None
    assert released.decision is Decision.QUARANTINE  # as held; the reasons say it was released
    assert json.loads(released.model_dump_json())["output_withheld"] is None
