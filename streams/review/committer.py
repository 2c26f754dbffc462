"""Verdicts and ticks as the service gives them: plan on a draft of the queue state, commit
what they emit (verdict, audit record, release) in one Kafka transaction, and only then change
the queue state. One at a time (a lock), so two verdicts never interleave their drafts.

A verdict whose transaction failed while the broker was away may have committed: its plan is
kept (`unsettled`) and nothing else is planned or committed until the publisher can tell. Then
it is applied (it had committed: the retry is answered with it, never given twice) or dropped
(it had not: the retry gives it)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, MutableMapping
from datetime import datetime
from typing import Any

from sampling.verdict import Severity, Verdict, VerdictKind
from streams.review.deciding import Decided
from streams.review.publisher import AuditRejected, OutcomeUnknown, Publisher, Unwritable
from streams.review.queue import Effects, Planned, ReviewQueue
from streams.review.queue_timer import Escalation, Ticked
from streams.review.state import Refusal

log = logging.getLogger(__name__)
UNKNOWN = ("the broker did not answer: whether the verdict was recorded is not known yet, and "
           "nothing else is decided until it is; try again in a moment: the retry is answered "
           "with the outcome of the first attempt")


class Committer:
    def __init__(self, queue: ReviewQueue, publisher: Publisher,
                 held_back: MutableMapping[str, str] | None = None) -> None:
        self.queue, self.publisher = queue, publisher
        self.lock = asyncio.Lock()
        # told of the verdicts of each committed transaction (the service's metrics)
        self.on_verdicts: Callable[[Iterable[Verdict]], None] = lambda verdicts: None
        # A plan whose transaction failed without telling whether its commit landed: settled
        # (applied or dropped) before anything else is planned or committed.
        self.unsettled: Planned | None = None
        # A verdict found committed when settled: the retry of it is answered with it.
        self.recovered: tuple[Decided, Effects] | None = None
        # Entries the clock leaves alone, with why: what it would emit for them cannot be
        # written (`tick`); forgotten once decided, or when the operator asks the clock to try
        # again (`retry_held_back`). In the service a faust table (`review-held-back`): a
        # restart neither says it again nor dead-letters a refused audit record again.
        self.held_back: MutableMapping[str, str] = {} if held_back is None else held_back

    async def decide(self, entry_id: str, reviewer: str, kind: VerdictKind, now: datetime, *,
                     comment: str | None = None, modified_output: Any = None,
                     severity: Severity = "none") -> tuple[Decided, Effects] | Refusal:
        async with self.lock:
            if (unknown := await self._settle()) is not None:
                return unknown
            if self.recovered is not None:
                (first, effects), self.recovered = self.recovered, None
                if (first.entry.entry_id, first.verdict.approver_id, first.verdict.verdict) \
                        == (entry_id, reviewer, kind):
                    return first, effects  # the retry of a verdict that had been given
            # the policy's scan of what it would release, off the event loop: a large output
            # takes seconds, which every other request and the Kafka clients would wait
            rechecked = await asyncio.to_thread(self.queue.rechecks(
                entry_id, reviewer, kind, comment=comment, modified_output=modified_output))
            planned = self.queue.plan_decide(entry_id, reviewer, kind, now, comment=comment,
                                             modified_output=modified_output,
                                             severity=severity, rechecked=rechecked)
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
            if (unknown := await self._settle()) is not None:
                return unknown
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
        unchanged and the next tick tries again).

        What the clock would emit for an entry that can never be written (a record larger
        than its topic takes, an audit record the evidence contract refuses: dead-lettered
        once by the publisher) is not retried at every tick, nor does it hold back every other
        entry's timeout: that entry is held back from the clock, said once in the log, and
        left in the queue for a reviewer (nothing of it is lost); the others' changes are
        planned again without it and committed."""
        async with self.lock:
            if await self._settle() is not None:
                return None
            live = self.queue.state.entries
            for gone in [e for e in self.held_back if e not in live or live[e].outcome is not None]:
                del self.held_back[gone]
            while True:
                planned = self.queue.plan_tick(now, self.held_back)
                try:
                    await self.publisher.commit(planned.effects)
                except (Unwritable, AuditRejected) as exc:
                    job_id = exc.job_id if isinstance(exc, Unwritable) else exc.record.job_id
                    if not self._hold_back(planned.ticked, job_id, exc):
                        log.error("the review clock's changes were not written: %s", exc)
                        return None
                    continue
                except OutcomeUnknown:
                    self.unsettled = planned
                    return None
                except Exception as exc:  # noqa: BLE001 - aborted: nothing changed, retried
                    log.error("committing the review clock's changes failed (%s: %s); the "
                              "queue is unchanged and the next tick tries again",
                              type(exc).__name__, exc)
                    return None
                self.queue.apply(planned)
                self.on_verdicts(planned.effects.verdicts)
                return planned.ticked

    def retry_held_back(self) -> int:
        """Let the clock try the held-back entries again (after the operator raised a topic's
        limit or changed the policy: SIGHUP); how many there were."""
        count = len(self.held_back)
        for entry_id in list(self.held_back):
            del self.held_back[entry_id]
        if count:
            log.warning("the review clock tries the %d entries it held back again", count)
        return count

    def _hold_back(self, ticked: Ticked | None, job_id: str, exc: Exception) -> bool:
        """Hold back from the clock the entries of `ticked` about `job_id` (False: none)."""
        moved = [] if ticked is None else (
            [(entry, f"{verdict.verdict.value} (timed out)") for verdict, entry in ticked.verdicts]
            + [(e.entry, f"escalation ({e.reason})") for e in ticked.escalations])
        found = [(entry, what) for entry, what in moved
                 if entry.item.job_id == job_id and entry.entry_id not in self.held_back]
        for entry, what in found:
            self.held_back[entry.entry_id] = str(exc)
            log.error("the review clock cannot give item %s its %s: %s. It is left in the "
                      "queue for a reviewer and the clock no longer times it out or "
                      "escalates it", entry.entry_id, what, exc)
        return bool(found)

    async def _settle(self) -> Refusal | None:
        """Settle the plan whose outcome was not known: applied if its transaction had
        committed, dropped if not; refused (503) while that still cannot be read."""
        if self.unsettled is None:
            return None
        landed = await self.publisher.settle(self.unsettled.effects)
        if landed is None:
            return Refusal(503, UNKNOWN)
        planned, self.unsettled = self.unsettled, None
        if landed:
            self.queue.apply(planned)
            self.on_verdicts(planned.effects.verdicts)
            if planned.decided is not None:
                self.recovered = (planned.decided, planned.effects)
        log.warning("a review transaction whose outcome was not known %s",
                    "had been committed: it stands" if landed else "had not been committed: "
                    "nothing of it is visible")
        return None

    async def _commit(self, planned: Planned) -> Refusal | None:
        try:
            await self.publisher.commit(planned.effects)
        except OutcomeUnknown:
            self.unsettled = planned
            return Refusal(503, UNKNOWN)
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
