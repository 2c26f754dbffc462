"""Verdicts and ticks as the service gives them: plan on a draft of the queue state, commit
what they emit (verdict, audit record, release) in one Kafka transaction, and only then change
the queue state. One at a time (a lock), so two verdicts never interleave their drafts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sampling.verdict import Severity, Verdict, VerdictKind
from streams.review.deciding import Decided
from streams.review.publisher import AuditRejected, Publisher, Unwritable
from streams.review.queue import Effects, Planned, ReviewQueue
from streams.review.queue_timer import Escalation, Ticked
from streams.review.state import Refusal

log = logging.getLogger(__name__)


class Committer:
    def __init__(self, queue: ReviewQueue, publisher: Publisher) -> None:
        self.queue, self.publisher = queue, publisher
        self.lock = asyncio.Lock()
        # told of the verdicts of each committed transaction (the service's metrics)
        self.on_verdicts: Callable[[Iterable[Verdict]], None] = lambda verdicts: None

    async def decide(self, entry_id: str, reviewer: str, kind: VerdictKind, now: datetime, *,
                     comment: str | None = None, modified_output: Any = None,
                     severity: Severity = "none") -> tuple[Decided, Effects] | Refusal:
        async with self.lock:
            planned = self.queue.plan_decide(entry_id, reviewer, kind, now, comment=comment,
                                             modified_output=modified_output,
                                             severity=severity)
            if isinstance(planned, Refusal):
                return planned
            refused = await self._commit(planned)
            if refused is not None:
                return refused
            assert planned.decided is not None
            return planned.decided, planned.effects

    async def escalate(self, entry_id: str, reviewer: str, comment: str | None,
                       now: datetime) -> Escalation | Refusal:
        async with self.lock:
            planned = self.queue.plan_escalate(entry_id, reviewer, comment, now)
            if isinstance(planned, Refusal):
                return planned
            refused = await self._commit(planned)
            if refused is not None:
                return refused
            assert planned.escalated is not None
            return planned.escalated

    async def tick(self, now: datetime) -> Ticked | None:
        """The queue's clock; None when what it emitted could not be committed (the state is
        unchanged and the next tick tries again)."""
        async with self.lock:
            planned = self.queue.plan_tick(now)
            if await self._commit(planned) is not None:
                return None
            return planned.ticked

    async def _commit(self, planned: Planned) -> Refusal | None:
        try:
            await self.publisher.commit(planned.effects)
        except AuditRejected as exc:
            return Refusal(422, "the verdict was not given: its audit record fails the "
                                f"evidence contract ({exc}); nothing was released")
        except Unwritable as exc:
            log.error("a verdict or tick was not given: %s", exc)
            return Refusal(422, f"the verdict was not given: {exc}; nothing was written. "
                                "Reject it, or modify it to an output that fits")
        except Exception as exc:  # noqa: BLE001 - the transaction was aborted: nothing changed
            log.error("committing a verdict or tick failed (%s: %s); the queue is unchanged",
                      type(exc).__name__, exc)
            return Refusal(503, f"the verdict could not be recorded ({type(exc).__name__}); "
                                "nothing was released; try again")
        self.queue.apply(planned)
        self.on_verdicts(planned.effects.verdicts)
        return None
