"""The review queue as one object: the pure core's operations plus what each one emits
(verdicts, released results, audit records). No Kafka and no clock: the shell passes `now`.

Operations that emit are planned on a draft of the state (`plan_decide`, `plan_tick`); the
shell commits what they emit in one Kafka transaction and only then applies the draft
(`apply`). `decide` and `tick` plan and apply at once (tests, tools without Kafka).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
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
from streams.review import claims, deciding, escalating, queue_timer
from streams.review.audit_events import escalation_record, verdict_record
from streams.review.entry import SECOND_REVIEW_SUFFIX, QueueEntry
from streams.review.recheck import Checked, ReleaseCheck, Unreleasable
from streams.review.release import HeldResult, Mismatch, closed_by, on_hold, released_record
from streams.review.state import QueueState, Refusal
from streams.review.stats import queue_stats
from streams.review.verdicts import Draw, closed, hash_draw, second_review


@dataclass
class Effects:
    """What the shell produces, in this order: verdicts, released results, audit records."""

    verdicts: list[Verdict] = field(default_factory=list)
    releases: list[SafetyDecision] = field(default_factory=list)
    audit: list[AuditRecord] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.verdicts or self.releases or self.audit)


@dataclass(frozen=True)
class Rechecked:
    """The policy's checks of what a verdict would release, made before it is planned: they
    scan the whole output, which takes seconds for a large one, so the committer runs them
    off the event loop (`ReviewQueue.rechecks`). None: not checked yet (`plan_decide` does)."""

    modified: Checked | Unreleasable | None = None
    approved: Checked | Unreleasable | None = None


@dataclass
class Planned:
    """A state change waiting for its effects to be committed."""

    effects: Effects
    draft: QueueState
    decided: deciding.Decided | None = None
    ticked: queue_timer.Ticked | None = None
    escalated: queue_timer.Escalation | None = None


class ReviewQueue:
    def __init__(self, state: QueueState, review: ReviewPolicy, routing: RoutingPolicy,
                 key: HashKey, decider: str, check: ReleaseCheck,
                 draw: Draw = hash_draw) -> None:
        self.state, self.review, self.routing = state, review, routing
        self.key, self.decider, self.check, self.draw = key, decider, check, draw

    def enqueue(self, item: ReviewItem) -> bool | Refusal:
        """Queue a review item (once: a redelivered item changes nothing). Items are results
        named by their source record and job_hash (the worker derives the item id from them,
        `item_id_for`): an item without a source, or one whose id is taken by another result,
        is refused, never merged into another."""
        if item.source is None:
            return Refusal(422, "it names no source record")
        known = self.state.entries.get(item.item_id)
        if known is not None:
            if (known.item.source, known.item.job_hash) != (item.source, item.job_hash):
                return Refusal(409, f"item id {item.item_id} is already held by the result "
                                    f"at {known.item.source.key if known.item.source else '?'}")
            return False
        self.state.entries[item.item_id] = QueueEntry(
            entry_id=item.item_id, item=item, group=item.sampling.reviewer_group,
            enqueued_at=item.decided_at)
        return True

    def hold(self, decision: SafetyDecision) -> bool | Mismatch | Refusal:
        """Hold a quarantined result until its verdict, by its source record: a result that
        shares another's job_id holds separately. True when newly held."""
        if decision.source is None:
            return Refusal(422, "it names no source record")
        key = decision.source.key
        known = self.state.held.get(key)
        held = on_hold(known, decision, decision.source)
        if isinstance(held, Mismatch):
            return held
        self.state.held[key] = held
        return known is None

    def pull(self, group: str, reviewer: str, now: datetime) -> claims.Pulled | Refusal:
        return claims.pull(self.state, self.review, self.routing, group, reviewer, now)

    def show(self, entry_id: str, reviewer: str | None, now: datetime) -> QueueEntry | Refusal:
        if reviewer:
            self.state.touch(reviewer, now)
        entry = self.state.entries.get(entry_id)
        return entry if entry is not None else Refusal(404, f"no review item {entry_id}")

    def rechecks(self, entry_id: str, reviewer: str, kind: VerdictKind, *,
                 comment: str | None = None, modified_output: Any = None
                 ) -> Callable[[], Rechecked]:
        """The release checks `plan_decide` would make for this verdict, as a call that reads
        no queue state (run it in a thread; pass its result to `plan_decide`). Nothing is
        checked for a verdict that would be refused anyway."""
        entry = self.state.entries.get(entry_id)
        if entry is None or (deciding.refusal_for(entry, reviewer)
                             or self._kind_refusal(entry, kind)
                             or deciding.comment_refusal(kind, comment)) is not None:
            return Rechecked
        item, check = entry.item, self.check
        modify = kind is VerdictKind.MODIFY and modified_output is not None
        held = self._held_output(entry) if kind is VerdictKind.APPROVE else None
        return lambda: Rechecked(
            check.modified(modified_output, item) if modify else None,
            check.approved(held.decision.output, item)
            if held is not None and held.decision is not None else None)

    def plan_decide(self, entry_id: str, reviewer: str, kind: VerdictKind, now: datetime, *,
                    comment: str | None = None, modified_output: Any = None,
                    severity: Severity = "none",
                    rechecked: Rechecked = Rechecked()) -> Planned | Refusal:
        entry = self.state.entries.get(entry_id)
        if entry is None:
            return Refusal(404, f"no review item {entry_id}")
        refused = (deciding.refusal_for(entry, reviewer) or self._kind_refusal(entry, kind)
                   or deciding.comment_refusal(kind, comment))
        if refused is not None:
            return refused
        if kind is VerdictKind.MODIFY and modified_output is not None:
            checked = rechecked.modified or self.check.modified(modified_output, entry.item)
            if isinstance(checked, Unreleasable):
                return Refusal(422, f"the modified output was not accepted: {checked.reason}")
            modified_output = checked.output  # what the policy redacts is redacted
        release = self._release_output(entry, kind, modified_output, rechecked.approved)
        if isinstance(release, Refusal):
            return release
        draft = self.state.draft()
        done = deciding.decide(draft, self.review, entry_id, reviewer, kind, now,
                               comment=comment, modified_output=modified_output,
                               severity=severity, draw=self.draw)
        if isinstance(done, Refusal):
            return done
        return Planned(self._after(draft, done.verdict, done.entry, done.final, release),
                       draft, decided=done)

    def plan_escalate(self, entry_id: str, reviewer: str, comment: str | None,
                      now: datetime) -> Planned | Refusal:
        """A reviewer moves an item they hold to the escalation group, saying why."""
        draft = self.state.draft()
        moved = escalating.escalate(draft, entry_id, reviewer, comment,
                                    self.routing.escalation_group, now)
        if isinstance(moved, Refusal):
            return moved
        effects = Effects(audit=[escalation_record(moved, self.decider, self.key, now)])
        return Planned(effects, draft, escalated=moved)

    def plan_tick(self, now: datetime, held_back: Collection[str] = ()) -> Planned:
        """The clock's changes; `held_back`: entries it leaves alone (queue_timer.tick)."""
        draft = self.state.draft()
        ticked = queue_timer.tick(draft, self.review, self.routing.escalation_group, now,
                                  held_back)
        effects = Effects()
        for verdict, entry in ticked.verdicts:  # rejections, and approvals of unquarantined
            more = self._after(draft, verdict, entry, True, None)
            effects.verdicts += more.verdicts
            effects.releases += more.releases
            effects.audit += more.audit
        effects.audit += [escalation_record(e, self.decider, self.key, now)
                          for e in ticked.escalations]
        return Planned(effects, draft, ticked=ticked)

    @staticmethod
    def apply(planned: Planned) -> None:
        """The draft becomes the state: call once its effects are committed."""
        QueueState.apply_draft(planned.draft)

    def decide(self, entry_id: str, reviewer: str, kind: VerdictKind, now: datetime, *,
               comment: str | None = None, modified_output: Any = None,
               severity: Severity = "none") -> tuple[deciding.Decided, Effects] | Refusal:
        planned = self.plan_decide(entry_id, reviewer, kind, now, comment=comment,
                                   modified_output=modified_output, severity=severity)
        if isinstance(planned, Refusal):
            return planned
        self.apply(planned)
        assert planned.decided is not None
        return planned.decided, planned.effects

    def tick(self, now: datetime) -> tuple[queue_timer.Ticked, Effects]:
        planned = self.plan_tick(now)
        self.apply(planned)
        assert planned.ticked is not None
        return planned.ticked, planned.effects

    def stats(self, now: datetime, groups: Callable[[str], bool] | None = None
              ) -> dict[str, Any]:
        return queue_stats(self.state, self.review, now, groups)

    def may_release_raw(self, entry: QueueEntry) -> bool:
        """Whether a release_raw verdict on `entry` is allowed at all (the console shows its
        control only then; the verdict is still checked like any other)."""
        return self._kind_refusal(entry, VerdictKind.RELEASE_RAW) is None

    def _kind_refusal(self, entry: QueueEntry, kind: VerdictKind) -> Refusal | None:
        if kind is not VerdictKind.RELEASE_RAW:
            return None
        if not self.review.release_raw:
            return Refusal(403, "release_raw is not allowed by this policy (review.release_raw); "
                                "approve releases the redacted output")
        if entry.item.decision is not Decision.QUARANTINE:
            return Refusal(400, "release_raw is for quarantined results only")
        return None

    def _held_output(self, entry: QueueEntry) -> HeldResult | None:
        """The quarantined result an approval of `entry` would release, when it may."""
        item = entry.item
        if item.decision is not Decision.QUARANTINE or item.source is None:
            return None
        held = self.state.held.get(item.source.key)
        if (held is None or held.decision is None or held.job_hash != item.job_hash
                or held.decision.output_withheld is not None):
            return None
        return held

    def _release_output(self, entry: QueueEntry, kind: VerdictKind, modified_output: Any,
                        approved: Checked | Unreleasable | None = None) -> Any | Refusal:
        """What a releasing verdict on a quarantined result would release, checked; None when
        the verdict releases nothing."""
        item = entry.item
        if not kind.releases or item.decision is not Decision.QUARANTINE:
            return None
        held = self.state.held.get(item.source.key) if item.source is not None else None
        if held is None or held.decision is None:
            if held is not None:
                return Refusal(409, f"the result at {held.source.key} was already {held.state}")
            return Refusal(409, "the quarantined result has not reached the review service "
                                "yet; try again in a moment")
        if held.job_hash != item.job_hash:
            return Refusal(409, f"the result held at {held.source.key} is not the one this "
                                "item shows (its job_hash differs); it cannot be released")
        if kind is VerdictKind.MODIFY:
            return modified_output
        if held.decision.output_withheld is not None:  # the worker's mark, never `output`
            return Refusal(422, "the held output was too large to copy: the quarantine record "
                                "points at its input record instead, and a release of it is "
                                "not supported here; reject it, or modify with the output to "
                                "release")
        if kind is VerdictKind.RELEASE_RAW:
            return held.decision.output
        checked = approved or self.check.approved(held.decision.output, item)
        if isinstance(checked, Unreleasable):
            raw = " or release_raw" if self.review.release_raw else ""
            return Refusal(422, f"cannot release it: {checked.reason}; reject it{raw}")
        return checked.output

    def _after(self, state: QueueState, verdict: Verdict, entry: QueueEntry, final: bool,
               release: Any) -> Effects:
        releases: list[SafetyDecision] = []
        source = verdict.source
        if final and entry.item.decision is Decision.QUARANTINE and source is not None:
            held = state.held.get(source.key)
            if verdict.verdict.releases and held is not None and held.decision is not None:
                releases = [released_record(held.decision, verdict, release)]
            state.held[source.key] = closed_by(held, verdict, source)
        record = verdict_record(verdict, entry.item.tenant, self.decider, self.key,
                                released=bool(releases), trace_id=entry.item.trace_id)
        return Effects([verdict], releases, [record])


def replay(state: QueueState, verdict: Verdict) -> bool:
    """Apply a committed verdict to the state (after a restart, the verdicts topic is the
    truth: a verdict whose service died before it applied it closes its entry now). True when
    it changed something; applying a verdict twice changes nothing."""
    entry_id = verdict.item_id + (SECOND_REVIEW_SUFFIX if verdict.second_review_of else "")
    entry = state.entries.get(entry_id)
    if entry is None or entry.outcome is not None:
        return False
    state.entries[entry_id] = closed(entry, verdict)
    if verdict.second_review_id is not None:
        if verdict.second_review_id not in state.entries:
            second = second_review(entry, verdict, verdict.decided_at)
            state.entries[second.entry_id] = second
    elif entry.item.decision is Decision.QUARANTINE and verdict.source is not None:
        key = verdict.source.key
        state.held[key] = closed_by(state.held.get(key), verdict, verdict.source)
    return True
