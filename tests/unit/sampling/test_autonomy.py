"""Autonomy levels from review outcomes: promotion needs evidence (an exact bound) and a
person's sign-off; incidents and credible error rates demote at once; nothing flaps."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from policies import load_policy, shipped_policy_path
from policies.decision import Decision
from policies.sections.autonomy import LEVEL_NAMES, AutonomyPolicy
from sampling.autonomy import (
    AutonomyState,
    SignOff,
    action_class,
    apply_signoff,
    initial_state,
    observe_decisions,
    observe_verdict,
)
from sampling.bounds import lower_bound, upper_bound
from sampling.verdict import Severity, Verdict, VerdictKind


def _shipped_autonomy() -> AutonomyPolicy:
    section = load_policy(shipped_policy_path("default")).policy.autonomy
    assert section is not None
    return section


POLICY = _shipped_autonomy()
SNAPSHOT = "v1:" + "ab" * 16
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
_ids = itertools.count()


def verdict(error: bool = False, severity: Severity = "none", at: datetime = T0,
            decision: Decision = Decision.ALLOW, **extra: object) -> Verdict:
    n = next(_ids)
    return Verdict.model_validate({
        "verdict_id": f"v-{n}", "item_id": f"rv-{n}", "job_id": f"job-{n}",
        "agent_id": "agent-a", "action": "job.support.process-refund",
        "verdict": VerdictKind.REJECT if error else VerdictKind.APPROVE,
        "approver_id": "alice", "severity": severity, "reviewer_group": "ops-review",
        "decision": decision, "policy_snapshot": SNAPSHOT, "job_hash": "sha256:" + "0" * 64,
        "enqueued_at": at, "decided_at": at, **extra})


def start(level: int = 0) -> AutonomyState:
    state = initial_state("topic:agent-a.actions", "job.support", POLICY, SNAPSHOT, T0)
    return state.model_copy(update={"level": level, "level_name": LEVEL_NAMES[level]})


def feed(state: AutonomyState, errors: list[bool], policy: AutonomyPolicy = POLICY,
         start_at: datetime = T0, spacing: timedelta = timedelta(minutes=5)) -> AutonomyState:
    for i, error in enumerate(errors):
        at = start_at + i * spacing
        state = observe_verdict(state, verdict(error, at=at), policy, SNAPSHOT, at).state
    return state


def sign(state: AutonomyState, level: int, reviewer: str = "carol") -> AutonomyState:
    signoff = SignOff(signoff_id=f"s-{next(_ids)}", identity=state.identity,
                      action_class=state.action_class, level=level, reviewer=reviewer,
                      requested_at=state.updated_at)
    return apply_signoff(state, signoff, POLICY, SNAPSHOT, state.updated_at).state


def test_action_class_drops_the_last_segment() -> None:
    assert action_class("job.support.process-refund") == "job.support"
    assert action_class("job.support.close-ticket") == "job.support"
    assert action_class("lookup") == "lookup"


def test_fifty_clean_reviews_propose_level_1_but_only_a_sign_off_promotes() -> None:
    almost = feed(start(), [False] * 49)
    assert almost.pending is None and almost.promotion is not None
    assert almost.promotion.clean_reviews_needed == 1, "min_successful_actions is 50"
    ready = feed(almost, [False], start_at=almost.updated_at)
    assert ready.promotion is not None
    assert ready.promotion.error_rate_upper == pytest.approx(upper_bound(0, 50), abs=1e-9)
    assert ready.promotion.error_rate_upper == pytest.approx(0.0582, abs=5e-4)
    assert ready.pending is not None and ready.pending.to_level == 1
    assert ready.level == 0, "the scorer proposes; it never promotes by itself"
    promoted = sign(ready, 1)
    assert (promoted.level, promoted.level_name) == (1, "assisted")
    assert promoted.last_change is not None and promoted.last_change.trigger == "signoff"
    assert promoted.last_change.approver_id == "carol"
    assert promoted.last_signoff is not None and promoted.last_signoff.accepted


def test_a_sign_off_without_the_evidence_is_refused_with_the_reviews_still_needed() -> None:
    state = feed(start(), [False] * 30)
    refused = sign(state, 1)
    assert refused.level == 0 and refused.last_signoff is not None
    assert not refused.last_signoff.accepted
    assert "needs 20 more clean reviews" in refused.last_signoff.reason
    skipping = sign(feed(state, [False] * 20, start_at=state.updated_at), 2)
    assert skipping.level == 0, "one level at a time: the pending proposal is level 1"


def test_errors_raise_the_clean_reviews_needed() -> None:
    state = feed(start(), [True] * 3 + [False] * 47)
    assert state.pending is None and state.promotion is not None
    assert state.promotion.error_rate_upper > 0.10  # 3 errors in 50: not yet shown below 10%
    needed = state.promotion.clean_reviews_needed
    assert needed is not None and needed > 0
    assert feed(state, [False] * needed, start_at=state.updated_at).pending is not None


@pytest.mark.parametrize("severity", ["policy_violation", "safety_incident"])
def test_an_incident_demotes_at_once_and_restarts_the_evidence(severity: Severity) -> None:
    state = feed(start(level=2), [False] * 300)
    step = observe_verdict(state, verdict(severity=severity, at=state.updated_at), POLICY,
                           SNAPSHOT, state.updated_at)
    assert step.state.level == 0 and step.change is not None
    assert step.change.trigger == severity and step.change.from_level == 2
    assert step.state.promotion is not None and step.state.promotion.reviews == 0
    assert step.state.totals.incidents == 1 and step.state.totals.reviews == 301


def test_an_incident_at_level_0_withdraws_the_proposal() -> None:
    ready = feed(start(), [False] * 60)
    assert ready.pending is not None
    step = observe_verdict(ready, verdict(severity="safety_incident", at=ready.updated_at),
                           POLICY, SNAPSHOT, ready.updated_at)
    assert step.change is None and step.state.pending is None
    assert sign(step.state, 1).level == 0


def test_one_unlucky_review_does_not_demote_but_a_credible_error_rate_does() -> None:
    state = feed(start(level=1), [False] * 20 + [True])
    assert state.level == 1, "1 error in 21 reviews is no evidence of a rate above 15%"
    errors = [True, False] * 15  # half of the next reviews are errors
    demoted = feed(state, errors, start_at=state.updated_at)
    assert demoted.level == 0 and demoted.last_change is not None
    change = demoted.last_change
    assert change.trigger == "error_rate" and change.error_rate_bound is not None
    assert change.error_rate_bound > POLICY.demotion.error_rate_above
    assert change.error_rate_bound == pytest.approx(
        lower_bound(change.errors, change.reviews), abs=1e-9)


def test_reviews_older_than_the_review_period_do_not_count() -> None:
    old = feed(start(), [False] * 50, spacing=timedelta(minutes=1))
    later = old.updated_at + timedelta(days=8)  # level 1's review period is 7 days
    step = observe_decisions(old, 1, 0, 0, POLICY, SNAPSHOT, later)
    assert step.state.pending is None and step.state.promotion is not None
    assert step.state.promotion.reviews == 0


def test_redelivered_automatic_and_second_reviews_are_not_evidence() -> None:
    state = start()
    once = verdict()
    for v in (once, once, verdict(automatic=True),
              verdict(error=True, second_review_of="v-x")):
        state = observe_verdict(state, v, POLICY, SNAPSHOT, T0).state
    assert state.totals.reviews == 1
    assert (state.totals.automatic_verdicts, state.totals.second_reviews) == (1, 1)


def test_confirmed_quarantines_are_errors() -> None:
    state = observe_verdict(start(), verdict(True, decision=Decision.QUARANTINE), POLICY,
                            SNAPSHOT, T0).state
    assert (state.totals.errors, state.totals.confirmed_quarantines) == (1, 1)


def test_a_person_can_always_lower_a_level() -> None:
    lowered = sign(feed(start(level=3), [False] * 5), 1, reviewer="dave")
    assert lowered.level == 1 and lowered.last_change is not None
    assert (lowered.last_change.trigger, lowered.last_change.approver_id) == ("manual", "dave")


def test_no_evidence_both_promotes_and_demotes() -> None:
    """The hysteresis band: for every count the bounds can give, eligibility for any level
    and credible demotion exclude each other (lower bound <= upper bound)."""
    rule = POLICY.demotion
    for n in (1, 5, 10, 20, 50, 100, 200, 500):
        for errors in range(0, n + 1, max(1, n // 25)):
            credible = lower_bound(errors, n, rule.confidence) > rule.error_rate_above
            for level in POLICY.levels[1:]:
                assert level.promotion is not None
                shown = (upper_bound(errors, n, level.promotion.confidence)
                         < level.promotion.max_error_rate)
                assert not (credible and shown), (errors, n, level.level)


def test_an_agent_between_the_thresholds_neither_promotes_nor_demotes() -> None:
    """12.5% errors sits between level 1's 10% and the 15% demotion threshold: over 400 reviews
    a level-1 agent stays at level 1 and is never proposed for level 2; a level-0 agent is
    never proposed for level 1."""
    pattern = ([False] * 7 + [True]) * 50
    for level in (0, 1):
        state, states = start(level=level), []
        for i, error in enumerate(pattern):
            at = T0 + i * timedelta(minutes=5)
            state = observe_verdict(state, verdict(error, at=at), POLICY, SNAPSHOT, at).state
            states.append(state)
        assert {s.level for s in states} == {level}
        assert all(s.pending is None for s in states)


def test_a_clean_verdict_written_again_after_500_newer_ones_counts_for_nothing() -> None:
    """Attack: the scorer remembered the last 500 verdict ids of a pair; a validly signed
    clean verdict copied back onto the verdicts topic after that counted again, and each copy
    pushed the next old id out, so whoever can write the topic could replay them in a cycle:
    unlimited clean evidence (promotion proposals; an error rate diluted below demotion)."""
    state = start()
    first = verdict(at=T0)
    state = observe_verdict(state, first, POLICY, SNAPSHOT, T0).state
    olds = [first]
    for i in range(1, 502):
        at = T0 + i * timedelta(minutes=1)
        olds.append(v := verdict(at=at))
        state = observe_verdict(state, v, POLICY, SNAPSHOT, at).state
    now = T0 + timedelta(hours=10)
    replayed = state
    for old in olds[:2]:
        replayed = observe_verdict(replayed, old, POLICY, SNAPSHOT, now).state
    assert replayed.totals.reviews == state.totals.reviews == 502
    assert sum(b.reviews for b in replayed.buckets) == sum(b.reviews for b in state.buckets)
    # An error decided as long ago still counts (a late one must not hide an error).
    late_error = verdict(True, at=T0)
    assert observe_verdict(state, late_error, POLICY, SNAPSHOT, now).state.totals.errors == 1
    # A new clean verdict counts as before.
    fresh = verdict(at=now)
    assert observe_verdict(state, fresh, POLICY, SNAPSHOT, now).state.totals.reviews == 503
    assert "forgotten_until" not in state.record().model_dump()


def test_a_state_from_before_the_verdict_times_keeps_counting() -> None:
    """A stored state with ids but no times (written before `recent_decided`)."""
    state = start().model_copy(update={"recent_verdicts": tuple(f"old-{n}" for n in range(500))})
    for i in range(3):
        at = T0 + i * timedelta(minutes=1)
        state = observe_verdict(state, verdict(at=at), POLICY, SNAPSHOT, at).state
    assert state.totals.reviews == 3 and state.forgotten_until is None
    assert len(state.recent_verdicts) == 500 and len(state.recent_decided) == 3
