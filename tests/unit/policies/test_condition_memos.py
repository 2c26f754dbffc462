"""`decide` remembers which rules' conditions hold for a result's facts (`match_facts`) instead
of evaluating every `when` for every result, and `views` which trust bindings apply to a topic
and agent: both must give what evaluating afresh gives, for any sequence of results, however
their facts repeat or differ."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policies import ActionResult, shipped_policy_path
from policies.claims import _bound, applies
from policies.decide import _conditions
from policies.loader import parse_policy
from policies.conditions import SIGNALS
from policies.match import matches, policy_cuts, signal_cuts

WHENS: list[dict[str, Any]] = [
    {"actions": ["job.billing.*"]}, {"agents": ["billing-*", "ops-?"]},
    {"risk_tags": ["prod", "financial"]}, {"audience": ["internal"]},
    {"audience": ["customer", "unspecified"]}, {"confidence_below": 0.7},
    {"anomaly_score_above": 0.5}, {"retry_count_above": 2}, {"amount_usd_above": 1000},
    {"affected_users_above": 100}, {"actions": ["*.delete*"], "risk_tags": ["prod"]},
]


def _policy() -> Any:
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["rules"] += [{"id": f"when-{i}", "entities": ["EMAIL_ADDRESS"], "decision": "quarantine",
                       "reason": "test", "when": when} for i, when in enumerate(WHENS)]
    data["field_rules"] += [{"id": f"field-{i}", "when": when, "paths": ["*.secret"],
                             "operator": "remove", "reason": "test"}
                            for i, when in enumerate(WHENS)]
    data["result_rules"] += [{"id": f"result-{i}", "when": when, "reason": "test"}
                             for i, when in enumerate(WHENS)]
    return parse_policy(yaml.safe_dump(data), "memo.yaml").policy


POLICY = _policy()

results = st.builds(
    ActionResult, job_id=st.sampled_from(["j1", "j2"]),
    agent_id=st.sampled_from(["billing-1", "ops-7", "support"]),
    action=st.sampled_from(["job.billing.refund", "job.db.delete-row", "job.support.reply"]),
    output=st.sampled_from([{"a": 1}, "text", None]),
    risk_tags=st.lists(st.sampled_from(["prod", "financial", "read"]), max_size=2).map(tuple),
    audience=st.sampled_from([None, "internal", "customer"]),
    confidence=st.none() | st.sampled_from([0.5, 0.7, 0.9]),
    anomaly_score=st.none() | st.sampled_from([0.2, 0.5, 0.8]),
    retry_count=st.none() | st.integers(0, 4),
    amount_usd=st.none() | st.sampled_from([0.0, -0.0, 999.5, 1000, 1000.5]),
    affected_users=st.none() | st.sampled_from([5, 100, 101]),
)


CHANGES = st.one_of(
    st.tuples(st.just("agent_id"), st.sampled_from(["billing-1", "ops-7", "support"])),
    st.tuples(st.just("action"), st.sampled_from(["job.billing.refund", "job.db.delete-row"])),
    st.tuples(st.just("risk_tags"), st.sampled_from([(), ("prod",), ("financial", "read")])),
    st.tuples(st.just("audience"), st.sampled_from([None, "internal", "customer"])),
    # values on each side of the thresholds and on them, several on one side (they share
    # their facts: `match_facts` with the policy's cuts), and NaN, which compares with nothing
    st.tuples(st.just("confidence"), st.sampled_from([None, 0.5, 0.69, 0.7, 0.9, 1.0])),
    st.tuples(st.just("anomaly_score"), st.sampled_from([None, 0.2, 0.5, 0.8, 0.99])),
    st.tuples(st.just("retry_count"), st.sampled_from([None, 0, 2, 3, 7])),
    st.tuples(st.just("amount_usd"), st.sampled_from([None, -0.0, 999.5, 1000, 1000.5, 2500.25,
                                                       float("nan")])),
    st.tuples(st.just("affected_users"), st.sampled_from([None, 0, 100, 101, 250])),
    st.tuples(st.just("output"), st.sampled_from([{"secret": "x"}, "other"])),
    st.tuples(st.just("job_id"), st.sampled_from(["j3", "j4"])),
)


@settings(max_examples=400, deadline=None)
@given(results, st.lists(CHANGES, min_size=1, max_size=8))
def test_the_remembered_conditions_are_the_evaluated_ones(
        base: ActionResult, changes: list[tuple[str, Any]]) -> None:
    seen = [base] + [base.model_copy(update={name: value}) for name, value in changes]
    for result in seen + seen:  # each fact changed alone next to the base, then all again
        held = _conditions(result, POLICY)
        assert held.rules == tuple(r for r in POLICY.rules if matches(r.when, result))
        assert held.field_rules == tuple(matches(r.when, result) for r in POLICY.field_rules)
        assert held.result_rules == tuple(matches(r.when, result) for r in POLICY.result_rules)


def test_results_that_differ_only_by_a_signal_past_the_same_thresholds_share_what_holds() -> None:
    """The remembered conditions are kept per the signals' place among the policy's
    thresholds, not per their values: an amount of its own on every result (a refund's) is
    not a new set of conditions to work out each time."""
    base = ActionResult(job_id="j1", agent_id="billing-1", action="job.billing.refund",
                        output=None, amount_usd=1200.5, confidence=0.9)
    held = _conditions(base, POLICY)
    for amount, confidence in ((1000.25, 0.7), (98_765.0, 1.0)):
        other = base.model_copy(update={"amount_usd": amount, "confidence": confidence})
        assert _conditions(other, POLICY) is held
    for amount, confidence in ((1000, 0.9), (1200.5, 0.69), (None, 0.9)):
        other = base.model_copy(update={"amount_usd": amount, "confidence": confidence})
        assert _conditions(other, POLICY) is not held


def test_a_policys_cuts_hold_every_threshold_of_every_section() -> None:
    """Every signal threshold of the policy, in any section (output, field and result rules,
    mandatory review, routing, autonomy scopes), is a cut: a missing one would let two results
    on either side of it share what holds."""
    cuts = policy_cuts(POLICY)
    assert cuts is not None
    by_signal = dict(zip(SIGNALS, cuts, strict=True))
    assert by_signal == {"confidence_below": (0.7,), "anomaly_score_above": (0.5,),
                         "retry_count_above": (2,), "amount_usd_above": (1000,),
                         "affected_users_above": (100,)}
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["sampling"]["mandatory"]["amount_usd_above"] = 250
    data["routing"]["rules"][1]["when"]["confidence_below"] = 0.4
    data["autonomy"]["levels"][2]["scope"]["reviewed"].append(
        {"id": "retried", "when": {"retry_count_above": 5}})
    other = parse_policy(yaml.safe_dump(data), "cuts.yaml").policy
    assert dict(zip(SIGNALS, signal_cuts(other), strict=True)) == {
        "confidence_below": (0.4, 0.7), "anomaly_score_above": (),
        "retry_count_above": (2, 5), "amount_usd_above": (250,), "affected_users_above": (100,)}


BINDINGS = [
    {"id": "support", "topics": ["agent.support.*"], "audience": "customer"},
    {"id": "ops", "topics": ["agent.ops"], "agents": ["ops-?"], "audience": "internal"},
    {"id": "billing", "agents": ["billing-*"], "amount_usd_at_least": 5000},
    {"id": "prod", "topics": ["agent.deploy", "agent.ops"], "risk_tags": ["prod"]},
]


def _trust() -> Any:
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["trust"] = {"bindings": BINDINGS}
    return parse_policy(yaml.safe_dump(data), "bindings.yaml").policy.trust


TRUST = _trust()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from([None, "agent.support.eu", "agent.ops", "agent.deploy", "agent.other"]),
    st.sampled_from(["ops-1", "ops-12", "billing-9", "support"])), min_size=1, max_size=8))
def test_the_remembered_bindings_are_the_applying_ones(
        reads: list[tuple[str | None, str]]) -> None:
    for topic, agent in reads + reads:
        assert _bound(TRUST, topic, agent) == tuple(
            b for b in TRUST.bindings if applies(b, topic, agent))
    assert _bound(None, "agent.ops", "ops-1") == ()
