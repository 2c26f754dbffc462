"""Review-budget starvation: an agent may add risk tags to its own results (claims only tighten
sampling), so it can have every one of its results drawn. Without a per-agent share of a
reviewer group's budget, a flood of them uses up the group's budget for the window and every
other agent's drawn results are dropped from review. Each agent gets at most
`max_share_per_agent` of a group's budget; mandatory items are never dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from policies import load_policy, shipped_policy_path
from policies.action_result import ActionResult
from policies.decision import Decision
from policies.sections.routing import RoutingPolicy
from policies.sections.sampling import SamplingPolicy
from sampling import BudgetLedger, Sampler, SamplingKey, SamplingRecord

JOB_HASH = "sha256:" + "cd" * 32
KEY = SamplingKey("k1", b"fedcba9876543210fedcba9876543210")
NOW = datetime(2026, 11, 28, 9, 10, 0, tzinfo=UTC)
ROUTING = RoutingPolicy.model_validate({"groups": {"ops-review": {}},
                                        "default_group": "ops-review"})


def policy(budget: dict[str, Any]) -> SamplingPolicy:
    """Results tagged `urgent` are always drawn (p = min(1, 0.01 x 500)); untagged ones at 1%."""
    return SamplingPolicy.model_validate({
        "key": {"id": "k1", "env": "AFTERGUARD_SAMPLING_KEY"}, "base_rate": 0.01,
        "weights": {"urgent": 500.0},
        "mandatory": {"first_time_agent_action": False},
        "budgets": {"ops-review": budget}})


def result(agent: str, job_id: str, tags: tuple[str, ...] = ("urgent",)) -> ActionResult:
    return ActionResult.model_validate({"job_id": job_id, "agent_id": agent,
                                        "action": "job.support.reply", "risk_tags": list(tags),
                                        "output": {}})


def sample(sampler: Sampler, agent: str, job_id: str,
           decision: Decision = Decision.ALLOW) -> SamplingRecord:
    return sampler.sample(result(agent, job_id), decision, frozenset(), False, NOW,
                          job_hash=JOB_HASH)


def test_one_agent_flooding_a_group_leaves_other_agents_their_share() -> None:
    sampler = Sampler(policy({"max_samples": 8, "window": "1h"}), ROUTING, KEY, "v1:abc")
    flood = [sample(sampler, "agent-flood", f"f{i}") for i in range(40)]
    assert all(r.drawn for r in flood), "its own risk tag has every one of its results drawn"
    others = [sample(sampler, "agent-quiet", f"q{i}") for i in range(2)]

    assert [r.selected for r in others] == [True, True], (
        "the flooding agent used up the group's budget: the other agent's results are not "
        "reviewed")
    assert sum(r.selected for r in flood) == 2, "ceil(8 x 0.25) by default"
    dropped = [r for r in flood if not r.selected]
    assert all(r.budget_dropped and r.budget_drop_reason == "agent_share_exhausted"
               for r in dropped)
    assert all(r.budget_drop_reason is None for r in flood + others if r.selected)


def test_many_agents_still_keep_to_the_groups_budget() -> None:
    sampler = Sampler(policy({"max_samples": 4, "window": "1h"}), ROUTING, KEY, "v1:abc")
    agents = ["agent-0"] * 3 + [f"agent-{i}" for i in range(1, 6)]
    records = [sample(sampler, agent, f"j{i}") for i, agent in enumerate(agents)]
    assert [r.selected for r in records] == [True, False, False, True, True, True, False, False]
    assert [r.budget_drop_reason for r in records if not r.selected] == [
        "agent_share_exhausted"] * 2 + ["group_budget_exhausted"] * 2
    assert sampler.ledger.used == {("ops-review", NOW.replace(minute=0)): 4}


def test_mandatory_items_are_never_dropped_by_a_share_or_a_budget() -> None:
    sampler = Sampler(policy({"max_samples": 4, "window": "1h"}), ROUTING, KEY, "v1:abc")
    for i in range(20):  # the flooder uses up its share, another agent the rest of the budget
        sample(sampler, "agent-flood", f"f{i}")
        sample(sampler, f"agent-{i}", f"o{i}")
    quarantined = [sample(sampler, agent, f"m{i}", Decision.QUARANTINE)
                   for i in range(6) for agent in ("agent-flood", "agent-quiet")]
    assert all(r.selected and r.mandatory_reasons == ("quarantined",) for r in quarantined)
    assert not any(r.budget_dropped or r.budget_drop_reason for r in quarantined)


def test_a_share_of_one_is_the_groups_whole_budget() -> None:
    """A group that serves a single agent gives it the whole budget."""
    sampler = Sampler(policy({"max_samples": 5, "window": "1h", "max_share_per_agent": 1.0}),
                      ROUTING, KEY, "v1:abc")
    records = [sample(sampler, "agent-only", f"j{i}") for i in range(8)]
    assert [r.selected for r in records] == [True] * 5 + [False] * 3
    assert {r.budget_drop_reason for r in records[5:]} == {"group_budget_exhausted"}


def test_each_worker_gives_an_agent_its_share_of_the_workers_share() -> None:
    capped = policy({"max_samples": 40, "window": "1h"})
    ledger = BudgetLedger(dict(capped.budgets), share=0.5)  # one of two workers
    sampler = Sampler(capped, ROUTING, KEY, "v1:abc", ledger)
    records = [sample(sampler, "agent-flood", f"f{i}") for i in range(30)]
    assert sum(r.selected for r in records) == 5, "ceil(40 x 0.25 x 0.5)"


def test_an_agents_share_is_fresh_in_the_next_window() -> None:
    sampler = Sampler(policy({"max_samples": 4, "window": "1h"}), ROUTING, KEY, "v1:abc")
    assert [sample(sampler, "agent-flood", f"f{i}").selected for i in range(3)] == [
        True, False, False]
    later = sampler.sample(result("agent-flood", "later"), Decision.ALLOW, frozenset(), False,
                           NOW + timedelta(hours=1), job_hash=JOB_HASH)
    assert later.selected
    assert list(sampler.ledger.by_agent) == [
        ("ops-review", NOW.replace(minute=0) + timedelta(hours=1), "agent-flood")]


@pytest.mark.parametrize("share", [0, -0.1, 1.5])
def test_a_share_outside_zero_to_one_is_refused(share: float) -> None:
    with pytest.raises(ValidationError, match="max_share_per_agent"):
        policy({"max_samples": 4, "window": "1h", "max_share_per_agent": share})


@pytest.mark.parametrize("name", ["default", "strict", "permissive"])
def test_shipped_policies_share_every_budget(name: str) -> None:
    sampling = load_policy(shipped_policy_path(name)).policy.sampling
    assert sampling is not None and sampling.budgets
    assert all(0 < b.max_share_per_agent < 1 for b in sampling.budgets.values())
