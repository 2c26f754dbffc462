"""Level transitions of one (verified identity, action class): pure functions from state and event to state.

- The scorer only proposes promotions; `signoff.apply_signoff` makes one effective when a person signs
  off the pending proposal for exactly that level.
- A verdict flagged `policy_violation` or `safety_incident` demotes to level 0 at once; so does
  an error rate whose lower confidence bound is above the demotion threshold. Every demotion, and
  every incident, restarts the evidence: autonomy is earned again from later reviews only.
- Automatic verdicts (review timeouts) and second reviews are counted but are not evidence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from policies.decision import Decision
from policies.sections.autonomy import LEVEL_NAMES, AutonomyPolicy
from sampling.autonomy.assess import credibly_too_many_errors, demotion_watch, promotion_outlook
from sampling.autonomy.evidence import add_review
from sampling.autonomy.state import (
    AutonomyState,
    LevelChange,
    Proposal,
    Trigger,
)
from sampling.verdict import Verdict

RECENT_VERDICTS = 500


@dataclass(frozen=True)
class Step:
    state: AutonomyState
    change: LevelChange | None = None


def initial_state(identity: str, action_class: str, policy: AutonomyPolicy, snapshot: str,
                  now: datetime) -> AutonomyState:
    """`identity`: the verified identity (policies.claims.verified_identity), never a claim."""
    level = policy.initial_level
    return settle(AutonomyState(identity=identity, action_class=action_class, level=level,
                                 level_name=LEVEL_NAMES[level], level_since=now,
                                 policy_snapshot=snapshot, updated_at=now), policy, now)


def observe_decisions(state: AutonomyState, decisions: int, quarantined: int, selected: int,
                      policy: AutonomyPolicy, snapshot: str, now: datetime) -> Step:
    """Results the worker decided (from the audit stream): counted, not evidence."""
    t = state.totals
    totals = t.model_copy(update={"decisions": t.decisions + decisions,
                                  "quarantined": t.quarantined + quarantined,
                                  "selected_for_review": t.selected_for_review + selected})
    return _evaluate(state.model_copy(update={"totals": totals}), policy, snapshot, now,
                     f"decisions|{now.isoformat()}")


def observe_verdict(state: AutonomyState, verdict: Verdict, policy: AutonomyPolicy,
                    snapshot: str, now: datetime) -> Step:
    if verdict.verdict_id in state.recent_verdicts:
        return Step(state)  # redelivered
    t, error = state.totals, verdict.is_error
    incident = verdict.severity != "none"
    if (state.forgotten_until is not None and verdict.decided_at <= state.forgotten_until
            and not (error or incident)):
        # Decided before a verdict no longer remembered: perhaps counted already, and written
        # to the topic again by someone who can write it (the signature proves no freshness).
        # A clean one counts for nothing (a late one loses the agent evidence, never gains
        # it); an error or incident still counts.
        return Step(state)
    remember = _remembered(state, verdict)
    if verdict.automatic or verdict.second_review_of is not None:
        key = "automatic_verdicts" if verdict.automatic else "second_reviews"
        totals = t.model_copy(update={key: getattr(t, key) + 1})
        return Step(state.model_copy(update={"totals": totals, **remember}))
    totals = t.model_copy(update={
        "reviews": t.reviews + 1, "errors": t.errors + int(error),
        "confirmed_quarantines": t.confirmed_quarantines + int(
            error and verdict.decision is Decision.QUARANTINE),
        "incidents": t.incidents + int(incident)})
    state = state.model_copy(update={"totals": totals, **remember})
    if incident:
        trigger: Trigger = verdict.severity  # type: ignore[assignment]  # not "none" here
        return demote(state, trigger, f"verdict {verdict.verdict_id} by "
                       f"{verdict.approver_id} flagged a {verdict.severity.replace('_', ' ')}",
                       policy, snapshot, now, verdict.verdict_id)
    if state.evidence_since is None or verdict.decided_at >= state.evidence_since:
        keep_after = now - max(lv.promotion.review_period for lv in policy.levels
                               if lv.promotion is not None)
        buckets = add_review(state.buckets, verdict.decided_at, error, keep_after)
        state = state.model_copy(update={"buckets": buckets})
    return _evaluate(state, policy, snapshot, now, verdict.verdict_id)


def _remembered(state: AutonomyState, verdict: Verdict) -> dict[str, Any]:
    """The last RECENT_VERDICTS ids with their `decided_at`, and the newest `decided_at`
    forgotten (updates of `state`)."""
    ids = (*state.recent_verdicts, verdict.verdict_id)[-RECENT_VERDICTS:]
    times = (*state.recent_decided, verdict.decided_at)  # the oldest may be unknown
    kept = min(len(times), len(ids))
    forgotten = [*times[:len(times) - kept]]
    if state.forgotten_until is not None:
        forgotten.append(state.forgotten_until)
    return {"recent_verdicts": ids, "recent_decided": times[len(times) - kept:],
            "forgotten_until": max(forgotten, default=None)}


def _evaluate(state: AutonomyState, policy: AutonomyPolicy, snapshot: str, now: datetime,
              event_ref: str) -> Step:
    state = settle(state.model_copy(update={"policy_snapshot": snapshot}), policy, now)
    watch = state.demotion
    if watch is not None and credibly_too_many_errors(watch):
        reason = (f"error rate credibly above {watch.error_rate_above:g}: {watch.errors} errors "
                  f"in {watch.reviews} reviews, lower bound {watch.error_rate_lower:.4f} at "
                  f"{watch.confidence:g} confidence")
        return demote(state, "error_rate", reason, policy, snapshot, now, event_ref)
    return Step(state)


def demote(state: AutonomyState, trigger: Trigger, reason: str, policy: AutonomyPolicy,
            snapshot: str, now: datetime, event_ref: str, to_level: int = 0,
            approver: str | None = None) -> Step:
    """Down to `to_level` (or stay at 0) with the evidence restarted from now."""
    watch = state.demotion
    change = None if state.level <= to_level else LevelChange(
        change_id=change_id(event_ref, state.level, to_level), identity=state.identity,
        action_class=state.action_class, from_level=state.level, to_level=to_level,
        trigger=trigger, reason=reason, approver_id=approver,
        signoff_id=event_ref if trigger == "manual" else None, at=now,
        reviews=0 if watch is None else watch.reviews, errors=0 if watch is None else watch.errors,
        error_rate_bound=None if watch is None else watch.error_rate_lower,
        window_start=None if watch is None else watch.window_start)
    level = min(state.level, to_level)
    update: dict[str, object] = {"buckets": (), "evidence_since": now, "pending": None,
                                 "policy_snapshot": snapshot}
    if change is not None:
        update.update(level=level, level_name=LEVEL_NAMES[level], level_since=now,
                      last_change=change)
    return Step(settle(state.model_copy(update=update), policy, now), change)


def settle(state: AutonomyState, policy: AutonomyPolicy, now: datetime) -> AutonomyState:
    """Recompute the outlooks and the pending proposal for `now`."""
    outlook = promotion_outlook(state.buckets, state.level, state.evidence_since, policy, now)
    watch = demotion_watch(state.buckets, state.level, state.evidence_since, policy, now)
    pending = None
    if outlook is not None and outlook.eligible:
        kept = state.pending is not None and state.pending.to_level == outlook.to_level
        proposed_at = state.pending.proposed_at if kept and state.pending else now
        pending = Proposal(to_level=outlook.to_level, proposed_at=proposed_at, outlook=outlook)
    return state.model_copy(update={"promotion": outlook, "demotion": watch, "pending": pending,
                                    "updated_at": now})


def change_id(event_ref: str, from_level: int, to_level: int) -> str:
    digest = hashlib.sha256(f"{event_ref}|{from_level}|{to_level}".encode()).hexdigest()
    return f"ac-{digest[:24]}"
