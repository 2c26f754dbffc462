"""The webhook message of an escalation says who moved the item (the verified reviewer, or the
queue's clock), never the reviewer's reason."""

from __future__ import annotations

from policies.decision import Decision
from streams.review.entry import QUEUE_CLOCK
from streams.review.notify import Notifier, WebhookSettings
from streams.review.queue import ReviewQueue
from streams.review.state import Refusal
from tests.unit.review.conftest import at, item


def test_a_reviewers_escalation_message_names_the_reviewer_and_not_the_reason(
        queue: ReviewQueue) -> None:
    queue.enqueue(item(1, decision=Decision.QUARANTINE))
    queue.pull("ops", "ann", at(1))
    planned = queue.plan_escalate("rv-1", "ann", "refund to a new account: needs a lead", at(2))
    assert not isinstance(planned, Refusal)
    queue.apply(planned)
    notifier = Notifier(WebhookSettings("http://127.0.0.1:9/hook", b"s" * 32), queue)
    assert not isinstance(planned, Refusal) and planned.escalated is not None
    notifier.escalated(planned.escalated)
    message = notifier.backlog.get_nowait()
    assert message["afterguard"]["escalated_by"] == "ann"
    assert "by ann" in message["text"]
    assert "new account" not in str(message), "the reviewer's reason stays out of the webhook"


def test_the_clocks_escalation_message_says_the_clock_moved_it(queue: ReviewQueue) -> None:
    queue.enqueue(item(1))
    notifier = Notifier(WebhookSettings("http://127.0.0.1:9/hook", b"s" * 32), queue)
    ticked, _ = queue.tick(at(650))
    for escalation in ticked.escalations:
        notifier.escalated(escalation)
    message = notifier.backlog.get_nowait()
    assert message["afterguard"]["escalated_by"] == QUEUE_CLOCK
