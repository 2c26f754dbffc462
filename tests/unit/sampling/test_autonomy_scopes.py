"""Issue 18: each autonomy level widens what an agent may do unreviewed, deletions stay gated at
every level, the policy maps action classes, and the result's own signals (confidence, anomaly
score, retries, amount, affected users) can tighten its treatment but never relax it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from policies import (
    ActionResult,
    Decision,
    HashKey,
    PolicyError,
    load_policy,
    parse_policy,
    shipped_policy_path,
)
from policies.decide import decide
from policies.explain import explain, render
from sampling import Sampler
from sampling.autonomy import action_class
from sampling.draw import SamplingKey
from sampling.verdict import Verdict
from streams.autonomy.events import from_verdict, pair_of
from streams.autonomy.levels import AutonomyLevels
from streams.worker.review_stage import ReviewStage

JOB_HASH = "sha256:" + "ab" * 32

NOW = datetime(2026, 11, 27, tzinfo=UTC)
KEY = SamplingKey(key_id="k", secret=b"s" * 32)
HASH = HashKey.from_secret(b"h" * 32)
DEFAULT = load_policy(shipped_policy_path("default"))


def result(action: str = "job.support.read", job_id: str = "j-1", **extra: Any) -> ActionResult:
    return ActionResult.model_validate({"job_id": job_id, "agent_id": "agent-7", "action": action,
                                        "output": {"ok": True}, **extra})


def sampler(policy: Any = DEFAULT) -> Sampler:
    p = policy.policy
    assert p.sampling is not None
    return Sampler(p.sampling, p.routing, KEY, policy.snapshot, autonomy=p.autonomy)


def mandatory(level: int, r: ActionResult, policy: Any = DEFAULT) -> tuple[str, ...]:
    outcome = decide(r, [], policy.policy, HASH)
    record = sampler(policy).sample(r, outcome.decision, frozenset(), False, NOW, level,
                                    job_hash=JOB_HASH)
    return record.mandatory_reasons


def test_a_level_1_agents_reads_are_sampled_while_its_writes_are_all_reviewed() -> None:
    assert mandatory(1, result("job.support.read")) == ()
    assert mandatory(1, result("job.crm.list")) == ()
    assert mandatory(1, result("job.support.update-ticket", risk_tags=["write"])) == (
        "autonomy_scope:assisted:all-but-reads",)
    # a read that deletes is still a deletion: gated at every level
    assert "autonomy_scope:assisted:gated" in mandatory(1, result("job.x.read",
                                                                  risk_tags=["delete"]))


def test_a_level_3_agents_deletions_are_all_reviewed_and_the_rest_sampled() -> None:
    for i in range(50):
        r = result("job.files.purge", job_id=f"j-{i}", risk_tags=["delete"])
        assert mandatory(3, r) == ("autonomy_scope:autonomous:gated",)
    assert mandatory(3, result("job.files.write", risk_tags=["prod", "write"])) == ()
    assert mandatory(2, result("job.files.write", risk_tags=["prod", "write"])) == (
        "autonomy_scope:semi-autonomous:prod",)


def test_level_0_reviews_everything_and_higher_levels_review_less() -> None:
    """The shipped table: promotion visibly lowers the review volume of one steady stream."""
    actions = ["job.support.read", "job.support.reply", "job.billing.refund", "job.files.purge"]
    tags = [["read"], ["write"], ["prod", "write"], ["prod", "delete"]]
    stream = [result(actions[i % 4], job_id=f"j-{i}", risk_tags=tags[i % 4])
              for i in range(4000)]
    selected = []
    for level in range(4):
        s = sampler()
        selected.append(sum(s.sample(r, Decision.ALLOW, frozenset(), False, NOW, level,
                                     job_hash=JOB_HASH).selected
                            for r in stream))
    assert selected[0] == 4000
    assert selected[0] > selected[1] > selected[2] > selected[3] >= 1000  # deletions: always


def test_the_sampling_factor_scales_the_stratified_probability() -> None:
    s = sampler()
    at_2 = s.sample(result(risk_tags=["read"]), Decision.ALLOW, frozenset(), False, NOW, 2,
                    job_hash=JOB_HASH)
    at_3 = s.sample(result(risk_tags=["read"]), Decision.ALLOW, frozenset(), False, NOW, 3,
                    job_hash=JOB_HASH)
    assert at_3.probability == pytest.approx(at_2.probability * 0.5)
    assert at_3.inclusion_probability == at_3.probability


def policy_with(**autonomy: Any) -> str:
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["autonomy"].update(autonomy)
    return yaml.safe_dump(data)


def level(n: int, **fields: Any) -> dict[str, Any]:
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    entry: dict[str, Any] = data["autonomy"]["levels"][n]
    entry.update(fields)
    return entry


def levels_with(n: int, **fields: Any) -> list[dict[str, Any]]:
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    entries: list[dict[str, Any]] = data["autonomy"]["levels"]
    entries[n] = level(n, **fields)
    return entries


def test_policy_check_refuses_a_scope_that_lets_deletions_go_unreviewed() -> None:
    narrowed = {"reviewed": [{"id": "prod", "when": {"risk_tags": ["prod"]}},
                             {"id": "gated", "when": {"risk_tags": ["delete"],
                                                      "actions": ["job.files.*"]}}]}
    with pytest.raises(PolicyError) as caught:
        parse_policy(policy_with(levels=levels_with(2, scope=narrowed)), "p.yaml")
    assert "level 2 (semi-autonomous) would let results tagged 'delete' go unreviewed" in str(
        caught.value)
    with pytest.raises(PolicyError):  # an `unless` could exempt some deletions too
        parse_policy(policy_with(levels=levels_with(3, scope={"reviewed": [
            {"id": "gated", "when": {"risk_tags": ["delete"]},
             "unless": {"agents": ["trusted-*"]}}]})), "p.yaml")
    # without the guard the same scope is a valid (if unwise) policy
    parse_policy(policy_with(gated_risk_tags=[], levels=levels_with(2, scope=narrowed)), "p.yaml")


def test_signals_can_only_tighten_in_the_policy() -> None:
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["rules"].insert(0, {"id": "sure-so-allow", "when": {"anomaly_score_above": 0.1},
                             "entities": ["EMAIL_ADDRESS"], "decision": "allow", "reason": "r"})
    with pytest.raises(PolicyError) as caught:
        parse_policy(yaml.safe_dump(data), "p.yaml")
    assert "an allow rule cannot depend on the agent's own signals (anomaly_score_above)" in str(
        caught.value)
    with pytest.raises(PolicyError) as caught:
        parse_policy(policy_with(levels=levels_with(3, scope={"reviewed": [
            {"id": "gated", "when": {"risk_tags": ["delete"]}},
            {"id": "all", "unless": {"confidence_below": 0.5}}]})), "p.yaml")
    assert "`unless` cannot use the agent's own signals" in str(caught.value)
    with pytest.raises(PolicyError):  # a result rule only quarantines
        data = yaml.safe_load(shipped_policy_path("default").read_text())
        data["result_rules"][0]["decision"] = "allow"
        parse_policy(yaml.safe_dump(data), "p.yaml")
    with pytest.raises(PolicyError):
        parse_policy(policy_with(levels=levels_with(0, scope={"sampling_factor": 0.1})), "p.yaml")


@pytest.mark.parametrize(("extra", "decision"), [
    ({"audience": "customer", "confidence": 0.5}, Decision.QUARANTINE),
    ({"audience": "customer", "confidence": 0.7}, Decision.ALLOW),  # strictly below
    ({"audience": "customer"}, Decision.ALLOW),  # no signal reported: the condition holds not
    ({"audience": "internal", "confidence": 0.1}, Decision.ALLOW),
])
def test_a_customer_reply_with_low_confidence_is_quarantined(extra: dict[str, Any],
                                                             decision: Decision) -> None:
    outcome = decide(result("job.support.reply", **extra), [], DEFAULT.policy, HASH)
    assert outcome.decision is decision
    if decision is Decision.QUARANTINE:
        assert outcome.reasons == ("result_rule:low-confidence-customer-reply",)
        assert not outcome.failed_closed  # reviewers still see the scanned output


def test_a_third_retry_is_reviewed_and_anomaly_scores_route() -> None:
    assert mandatory(2, result("job.support.read", retry_count=3)) == ("matcher:retried",)
    assert mandatory(2, result("job.support.read", retry_count=2)) == ()
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["routing"]["rules"].insert(0, {"id": "odd", "when": {"anomaly_score_above": 0.8},
                                        "group": "security-team"})
    routed = parse_policy(yaml.safe_dump(data), "p.yaml")
    from sampling.routing import route
    assert route(result(anomaly_score=0.9), frozenset(), routed.policy.routing) == "security-team"
    assert route(result(anomaly_score=0.8), frozenset(), routed.policy.routing) == "ops-review"


def test_policy_explain_shows_each_signal_check() -> None:
    r = result("job.support.reply", audience="customer", confidence=0.55)
    text = render(explain(r, [], DEFAULT, HASH, 10))
    assert "low-confidence-customer-reply: quarantines (confidence 0.55 < 0.7: yes)" in text
    text = render(explain(result("job.support.reply", audience="customer"), [], DEFAULT, HASH,
                          10))
    assert ("low-confidence-customer-reply: does not match (confidence not reported < 0.7: no)"
            in text)


def test_action_classes_mapped_in_the_policy_decide_the_level_and_the_scorers_pair() -> None:
    mapped = parse_policy(policy_with(action_classes=[
        {"actions": ["job.support.*", "job.helpdesk.*"], "name": "customer-care"}]), "p.yaml")
    autonomy = mapped.policy.autonomy
    assert autonomy is not None
    assert action_class("job.helpdesk.read", autonomy.action_classes) == "customer-care"
    assert action_class("job.billing.refund", autonomy.action_classes) == "job.billing"
    levels = AutonomyLevels()
    levels.learn(b'{"identity": "topic:t.actions", "action_class": "customer-care", "level": 1}')
    stage = ReviewStage(lambda _ref: KEY, lambda _a, _b: False, autonomy_level=levels.level_of)
    assert stage.level(result("job.helpdesk.read"), mapped, "topic:t.actions") == 1
    assert stage.level(result("job.billing.read"), mapped, "topic:t.actions") == 0  # initial
    verdict = Verdict.model_validate({
        "verdict_id": "v-1", "item_id": "rv-1", "job_id": "j-1", "agent_id": "agent-7",
        "action": "job.support.reply", "verdict": "approve", "approver_id": "ann",
        "reviewer_group": "ops-review", "decision": "ALLOW", "policy_snapshot": "p:1",
        "job_hash": "sha256:" + "0" * 64, "enqueued_at": NOW, "decided_at": NOW,
        "source": {"topic": "t.actions", "partition": 0, "offset": 3}})
    seen = from_verdict(verdict.model_dump_json().encode(), autonomy.action_classes)
    assert seen is not None and pair_of(seen) == "topic:t.actions\x1fcustomer-care"


def test_autonomy_show_names_each_levels_scope() -> None:
    from streams.autonomy.render import describe_scope
    autonomy = DEFAULT.policy.autonomy
    assert autonomy is not None
    assert describe_scope(autonomy.levels[0]) == "every result is reviewed"
    assert describe_scope(autonomy.levels[1]) == (
        "reviewed: all-but-reads (every result unless actions job.*.read, job.*.list); "
        "gated (risk_tags delete); secrets (risk_tags secrets); everything else sampled at "
        "1 x the stratified rate")
    assert describe_scope(autonomy.levels[3]).endswith("sampled at 0.5 x the stratified rate")
