"""The policy's scan of what a verdict would release runs off the service's event loop
(streams/review/committer.py): a large held output takes seconds to scan (a 1 MB output of
50,000 e-mail addresses, about 5 s), and on the event loop every other reviewer's request,
the queue's clock and the Kafka clients' heartbeats waited for it."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, cast

from policies.decision import Decision
from sampling.record import ReviewItem
from sampling.verdict import VerdictKind
from streams.review.committer import Committer
from streams.review.publisher import Publisher
from streams.review.queue import Effects
from streams.review.recheck import Checked, ReleaseCheck, Unreleasable
from streams.review.state import Refusal
from tests.unit.review.conftest import at, default_check, item, make_queue, quarantined


class GatedCheck(ReleaseCheck):
    """The default policy's check, held at its start until the test lets it go."""

    def __init__(self) -> None:
        inner = default_check()
        super().__init__(inner.policy, inner.engine, inner.key, 30_000, inner.clock)
        self.started, self.go = threading.Event(), threading.Event()
        self.let_go_while_checking = False

    def approved(self, output: Any, item: ReviewItem) -> Checked | Unreleasable:
        self.started.set()
        self.let_go_while_checking = self.go.wait(5)
        return super().approved(output, item)


class NoKafka:
    async def commit(self, effects: Effects) -> None:
        return None


def test_an_approvals_release_check_leaves_the_event_loop_serving() -> None:
    check = GatedCheck()
    queue = make_queue(check=check)
    queue.enqueue(item(1, decision=Decision.QUARANTINE))
    queue.hold(quarantined(1, {"text": "deploy done"}))
    queue.pull("ops", "ann", at(1))
    queue.enqueue(item(2, decision=Decision.QUARANTINE))
    committer = Committer(queue, cast(Publisher, NoKafka()))

    async def approve_while_another_reviewer_pulls() -> tuple[Any, Any]:
        approval = asyncio.create_task(
            committer.decide("rv-1", "ann", VerdictKind.APPROVE, at(2)))
        await asyncio.to_thread(check.started.wait, 10)
        pulled = queue.pull("ops", "bob", at(3))  # served while the scan runs
        check.go.set()
        return await approval, pulled

    approved, pulled = asyncio.run(approve_while_another_reviewer_pulls())
    assert check.let_go_while_checking, "the event loop was blocked during the scan"
    assert not isinstance(approved, Refusal) and approved[1].releases
    assert not isinstance(pulled, Refusal) and [e.entry_id for e in pulled.claimed] == ["rv-2"]
