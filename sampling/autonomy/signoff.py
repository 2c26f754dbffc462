"""A person's sign-off: the only way a promotion becomes effective (or a manual demotion)."""

from __future__ import annotations

from datetime import datetime

from policies.sections.autonomy import LEVEL_NAMES, AutonomyPolicy
from sampling.autonomy.scorer import Step, change_id, demote, settle
from sampling.autonomy.state import AutonomyState, LevelChange, SignOff, SignOffResult


def apply_signoff(state: AutonomyState, signoff: SignOff, policy: AutonomyPolicy,
                  snapshot: str, now: datetime) -> Step:
    """Make a person's decision effective, or refuse it (the reason is in `last_signoff`)."""
    state = settle(state, policy, now)  # the proposal as the evidence stands now
    if signoff.level < state.level:
        step = demote(state, "manual", f"lowered by {signoff.reviewer}", policy, snapshot, now,
                       signoff.signoff_id, to_level=signoff.level, approver=signoff.reviewer)
        return Step(_signed(step.state, signoff, True, "lowered"), step.change)
    refusal = _refusal(state, signoff.level)
    if refusal is not None:
        return Step(_signed(state, signoff, False, refusal))
    pending = state.pending
    assert pending is not None
    outlook = pending.outlook
    change = LevelChange(
        change_id=change_id(signoff.signoff_id, state.level, signoff.level),
        identity=state.identity, action_class=state.action_class, from_level=state.level,
        to_level=signoff.level, trigger="signoff",
        reason=f"proposal of {pending.proposed_at.isoformat()} signed off by {signoff.reviewer}",
        approver_id=signoff.reviewer, signoff_id=signoff.signoff_id, at=now,
        reviews=outlook.reviews, errors=outlook.errors,
        error_rate_bound=outlook.error_rate_upper, window_start=outlook.window_start)
    promoted = state.model_copy(update={
        "level": signoff.level, "level_name": LEVEL_NAMES[signoff.level], "level_since": now,
        "pending": None, "last_change": change, "policy_snapshot": snapshot})
    return Step(_signed(settle(promoted, policy, now), signoff, True, "promoted"), change)


def _refusal(state: AutonomyState, level: int) -> str | None:
    if level == state.level:
        return f"already at level {level}"
    if state.pending is None or state.pending.to_level != level:
        outlook = state.promotion
        more = ("" if outlook is None or outlook.clean_reviews_needed is None else
                f"; level {outlook.to_level} needs {outlook.clean_reviews_needed} more clean "
                f"reviews")
        pending = "none" if state.pending is None else f"level {state.pending.to_level}"
        return f"no pending proposal for level {level} (pending: {pending}{more})"
    return None


def _signed(state: AutonomyState, signoff: SignOff, accepted: bool, reason: str
            ) -> AutonomyState:
    return state.model_copy(update={"last_signoff": SignOffResult(
        signoff_id=signoff.signoff_id, reviewer=signoff.reviewer, level=signoff.level,
        accepted=accepted, reason=reason)})
