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
from policies.match import matches

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
    st.tuples(st.just("confidence"), st.sampled_from([None, 0.5, 0.7, 0.9])),
    st.tuples(st.just("anomaly_score"), st.sampled_from([None, 0.2, 0.5, 0.8])),
    st.tuples(st.just("retry_count"), st.sampled_from([None, 0, 2, 3])),
    st.tuples(st.just("amount_usd"), st.sampled_from([None, -0.0, 1000, 1000.5])),
    st.tuples(st.just("affected_users"), st.sampled_from([None, 100, 101])),
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
