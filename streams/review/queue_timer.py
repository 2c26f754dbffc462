"""The queue's clock: expired claims, escalation on age, and timeouts by risk (pure; the
service calls `tick` periodically with the current time, tests with any time they like)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from policies.decision import Decision
from policies.sections.review import ReviewPolicy, TimeoutAction
from sampling.record import ReviewItem
from sampling.verdict import Verdict, VerdictKind
from streams.review.entry import (
    QUEUE_CLOCK,
    TIMEOUT_APPROVER,
    EscalationNote,
    QueueEntry,
    Status,
)
from streams.review.state import QueueState
from streams.review.verdicts import closed, make_verdict

RETENTION = timedelta(days=14)  # decided entries are kept this long for stats and refusals

Risk = Literal["high", "medium", "low"]


@dataclass(frozen=True)
class Escalation:
    entry: QueueEntry  # as it is after the move
    from_group: str
    reason: Literal["age", "timeout", "reviewer"]
    released_claim_of: str | None
    by: str = QUEUE_CLOCK  # the verified reviewer, for reason "reviewer"
    comment: str | None = None  # the reviewer's, for reason "reviewer"


@dataclass
class Ticked:
    # automatic verdicts (always final) with the entries they closed
    verdicts: list[tuple[Verdict, QueueEntry]] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    expired_claims: list[tuple[str, str]] = field(default_factory=list)  # (entry, reviewer)


def risk_of(item: ReviewItem, review: ReviewPolicy) -> Risk:
    tags = set(item.risk_tags)
    if tags & set(review.risk_levels.high):
        return "high"
    if tags & set(review.risk_levels.medium):
        return "medium"
    return "low"


def tick(state: QueueState, review: ReviewPolicy, escalation_group: str | None,
         now: datetime, held_back: Collection[str] = ()) -> Ticked:
    """`held_back`: entries the clock neither times out nor escalates (what it would emit for
    them cannot be written: streams/review/committer.py); their claims still expire."""
    done = Ticked()
    for entry in state.undecided():
        entry = _expire_claim(state, review, entry, now, done)
        if entry.entry_id in held_back:
            continue
        timeout = getattr(review.timeouts, risk_of(entry.item, review))
        action: TimeoutAction | None = timeout.action if entry.age_s(now) >= \
            timeout.after.total_seconds() else None
        risk = risk_of(entry.item, review)
        why = f"{risk}-risk item waited past its timeout ({duration(timeout.after)}): escalated"
        if action is TimeoutAction.AUTO_APPROVE and entry.item.decision is Decision.QUARANTINE:
            action = TimeoutAction.ESCALATE  # fail closed: only a person releases quarantine
            why += " instead of auto-approved, as only a person releases a quarantined result"
        if action in (TimeoutAction.AUTO_REJECT, TimeoutAction.AUTO_APPROVE):
            kind = (VerdictKind.REJECT if action is TimeoutAction.AUTO_REJECT
                    else VerdictKind.APPROVE)
            verdict = make_verdict(entry, kind, TIMEOUT_APPROVER, now, automatic=True,
                                   comment=f"{risk_of(entry.item, review)}-risk item waited "
                                           f"{entry.age_s(now):.0f}s: {action.value}")
            state.entries[entry.entry_id] = shut = closed(entry, verdict)
            done.verdicts.append((verdict, shut))
        elif action is TimeoutAction.ESCALATE:
            _escalate(state, entry, escalation_group, "timeout", why, now, done)
        elif entry.age_s(now) >= review.escalate_after.total_seconds():
            _escalate(state, entry, escalation_group, "age",
                      f"waited {duration(timedelta(seconds=entry.age_s(now)))}, past the "
                      f"escalation age ({duration(review.escalate_after)})", now, done)
    for entry in list(state.entries.values()):
        if entry.outcome is not None and now - entry.outcome.decided_at > RETENTION:
            del state.entries[entry.entry_id]
    return done


def _expire_claim(state: QueueState, review: ReviewPolicy, entry: QueueEntry, now: datetime,
                  done: Ticked) -> QueueEntry:
    if entry.status is not Status.CLAIMED or entry.claimed_by is None or entry.claimed_at is None:
        return entry
    seen = state.reviewers.get(entry.claimed_by)
    last = max(entry.claimed_at, seen.last_seen) if seen is not None else entry.claimed_at
    if now - last < review.claim_expiry:
        return entry
    claimer = entry.claimed_by
    entry = entry.model_copy(update={"status": Status.OPEN, "claimed_by": None,
                                     "claimed_at": None, "lost_claim": (claimer, "expired")})
    state.entries[entry.entry_id] = entry
    done.expired_claims.append((entry.entry_id, claimer))
    return entry


def _escalate(state: QueueState, entry: QueueEntry, to_group: str | None,
              reason: Literal["age", "timeout"], why: str, now: datetime,
              done: Ticked) -> None:
    if to_group is None or entry.escalated or entry.group == to_group:
        return  # nowhere further to go: it stays visible in the stats
    note = EscalationNote(from_group=entry.group, by=QUEUE_CLOCK, reason=reason, why=why,
                          at=now)
    state.entries[entry.entry_id] = after = moved(entry, to_group, note)
    done.escalations.append(Escalation(after, entry.group, reason, entry.claimed_by))


def moved(entry: QueueEntry, to_group: str, note: EscalationNote) -> QueueEntry:
    """`entry` escalated to `to_group`: open there, its claim (if any) withdrawn."""
    claimer = entry.claimed_by
    return entry.model_copy(update={
        "group": to_group, "escalated": True, "escalation": note, "status": Status.OPEN,
        "claimed_by": None, "claimed_at": None,
        "lost_claim": (claimer, "reassigned") if claimer else entry.lost_claim})


def duration(span: timedelta) -> str:
    """`1h 5m`, `20m`, `45s`: how long, for a reviewer to read."""
    seconds = int(span.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "",
             f"{secs}s" if secs and not hours else ""]
    return " ".join(p for p in parts if p) or "0s"
