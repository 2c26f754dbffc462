"""The review queue as one object: the pure core's operations plus what each one emits
(verdicts, released results, audit records). No Kafka and no clock: the shell passes `now`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from policies.decision import Decision, SafetyDecision
from policies.redact import HashKey
from policies.sections.review import ReviewPolicy
from policies.sections.routing import RoutingPolicy
from sampling.record import ReviewItem
from sampling.verdict import Severity, Verdict, VerdictKind
from streams.records import AuditRecord
from streams.review import claims, deciding, queue_timer
from streams.review.audit_events import escalation_record, verdict_record
from streams.review.entry import QueueEntry
from streams.review.release import on_final_verdict, on_hold
from streams.review.state import QueueState, Refusal
from streams.review.stats import queue_stats
from streams.review.verdicts import Draw, hash_draw


@dataclass
class Effects:
    """What the shell produces, in this order: verdicts, released results, audit records."""

    verdicts: list[Verdict] = field(default_factory=list)
    releases: list[SafetyDecision] = field(default_factory=list)
    audit: list[AuditRecord] = field(default_factory=list)


class ReviewQueue:
    def __init__(self, state: QueueState, review: ReviewPolicy, routing: RoutingPolicy,
                 key: HashKey, decider: str, draw: Draw = hash_draw) -> None:
        self.state, self.review, self.routing = state, review, routing
        self.key, self.decider, self.draw = key, decider, draw

    def enqueue(self, item: ReviewItem) -> bool:
        """Queue a review item (once: a redelivered item changes nothing)."""
        if item.item_id in self.state.entries:
            return False
        self.state.entries[item.item_id] = QueueEntry(
            entry_id=item.item_id, item=item, group=item.sampling.reviewer_group,
            enqueued_at=item.decided_at)
        return True

    def hold(self, decision: SafetyDecision) -> Effects:
        """Hold a quarantined result until its verdict (release it if approved already)."""
        held, release = on_hold(self.state.held.get(decision.job_id), decision)
        self.state.held[decision.job_id] = held
        return Effects(releases=[release] if release else [])

    def pull(self, group: str, reviewer: str, now: datetime) -> claims.Pulled | Refusal:
        return claims.pull(self.state, self.review, self.routing, group, reviewer, now)

    def show(self, entry_id: str, reviewer: str | None, now: datetime) -> QueueEntry | Refusal:
        if reviewer:
            self.state.touch(reviewer, now)
        entry = self.state.entries.get(entry_id)
        return entry if entry is not None else Refusal(404, f"no review item {entry_id}")

    def decide(self, entry_id: str, reviewer: str, kind: VerdictKind, now: datetime, *,
               comment: str | None = None, modified_output: Any = None,
               severity: Severity = "none") -> tuple[deciding.Decided, Effects] | Refusal:
        done = deciding.decide(self.state, self.review, entry_id, reviewer, kind, now,
                               comment=comment, modified_output=modified_output,
                               severity=severity, draw=self.draw)
        if isinstance(done, Refusal):
            return done
        return done, self._after(done.verdict, done.entry, done.final)

    def tick(self, now: datetime) -> tuple[queue_timer.Ticked, Effects]:
        ticked = queue_timer.tick(self.state, self.review, self.routing.escalation_group, now)
        effects = Effects()
        for verdict, entry in ticked.verdicts:
            more = self._after(verdict, entry, True)
            effects.verdicts += more.verdicts
            effects.releases += more.releases
            effects.audit += more.audit
        effects.audit += [escalation_record(e, self.decider, self.key, now)
                          for e in ticked.escalations]
        return ticked, effects

    def stats(self, now: datetime) -> dict[str, Any]:
        return queue_stats(self.state, self.review, now)

    def _after(self, verdict: Verdict, entry: QueueEntry, final: bool) -> Effects:
        releases: list[SafetyDecision] = []
        if final and entry.item.decision is Decision.QUARANTINE:
            held, release = on_final_verdict(self.state.held.get(verdict.job_id), verdict)
            self.state.held[verdict.job_id] = held
            releases = [release] if release else []
        record = verdict_record(verdict, entry.item.tenant, self.decider, self.key,
                                released=bool(releases))
        return Effects([verdict], releases, [record])

