"""Sampling: the arithmetic, determinism, mandatory items, budgets and routing."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from policies.action_result import ActionResult
from policies.decision import Decision
from policies.sections.routing import RoutingPolicy
from policies.sections.sampling import SamplingPolicy
from sampling import BudgetLedger, Sampler, SamplingKey, draw, stratum_for

JOB_HASH = "sha256:" + "ab" * 32

KEY = SamplingKey("k1", b"0123456789abcdef0123456789abcdef")
NOW = datetime(2026, 11, 21, 12, 0, 30, tzinfo=UTC)


def policy(**overrides: Any) -> SamplingPolicy:
    base: dict[str, Any] = {
        "key": {"id": "k1", "env": "AFTERGUARD_SAMPLING_KEY"},
        "base_rate": 0.05,
        "weights": {"prod": 3.0, "write": 2.0, "read": 0.5},
        "mandatory": {"amount_usd_above": 1000, "affected_users_above": 100,
                      "first_time_agent_action": True},
    }
    return SamplingPolicy.model_validate({**base, **overrides})


ROUTING = RoutingPolicy.model_validate({
    "groups": {"ops-review": {}, "finance-approvers": {}, "security-team": {}},
    "rules": [{"id": "money", "when": {"actions": ["job.billing.*"]}, "group": "finance-approvers"},
              {"id": "secrets", "entities": ["CREDENTIAL"], "group": "security-team"}],
    "default_group": "ops-review",
})


def result(job_id: str = "j-1", **extra: Any) -> ActionResult:
    return ActionResult.model_validate({"job_id": job_id, "agent_id": "a", "action": "job.x",
                                        "output": {}, **extra})


@pytest.mark.parametrize(("tags", "combine", "stratum", "p"), [
    ((), "max", "default", 0.05),
    (("read",), "max", "read", 0.025),
    (("prod", "write"), "max", "prod", 0.15),
    (("write", "prod"), "min", "write", 0.10),
    (("prod", "write"), "product", "prod+write", 0.30),
    (("unknown-tag",), "max", "default", 0.05),
])
def test_probability_is_base_rate_times_weight(tags: tuple[str, ...], combine: str,
                                               stratum: str, p: float) -> None:
    chosen = stratum_for(tags, policy(combine=combine))
    assert chosen.name == stratum and chosen.probability == pytest.approx(p)


def test_probability_is_capped_at_one() -> None:
    assert stratum_for(("prod",), policy(base_rate=0.5)).probability == 1.0


def test_draw_is_deterministic_and_keyed() -> None:
    h = JOB_HASH
    assert draw(KEY, "job-1", h, "v1:abc") == draw(KEY, "job-1", h, "v1:abc")
    assert draw(KEY, "job-1", h, "v1:abc") != draw(KEY, "job-1", h, "v2:def")
    other = SamplingKey("k2", b"another-secret-key-of-32-bytes!!")
    assert draw(KEY, "job-1", h, "v1:abc") != draw(other, "job-1", h, "v1:abc")
    assert all(0.0 <= draw(KEY, f"job-{i}", h, "s") < 1.0 for i in range(1000))


def test_a_reused_job_id_does_not_replay_its_draw_for_other_content() -> None:
    """The draw covers the content: an agent that learnt which job ids fall outside the
    sample cannot reuse one of them for another output and keep the draw."""
    draws = {draw(KEY, "job-1", f"sha256:{i:064x}", "v1:abc") for i in range(200)}
    assert len(draws) == 200
    assert sum(d < 0.1 for d in draws) in range(5, 40), "still uniform over contents"


def test_rerunning_the_same_stream_reproduces_every_decision() -> None:
    def run() -> list[tuple[bool, float]]:
        sampler = Sampler(policy(), ROUTING, KEY, "v1:abc")
        return [(r.selected, r.draw) for r in (
            sampler.sample(result(f"job-{i}", risk_tags=["prod"]), Decision.ALLOW, frozenset(),
                           False, NOW, job_hash=JOB_HASH) for i in range(2000))]
    assert run() == run()


def test_realised_rates_match_configured_rates_per_stratum() -> None:
    """Over 20,000 results per stratum the realised rate is within 4 standard errors of p."""
    sampler = Sampler(policy(), ROUTING, KEY, "v1:abc")
    n = 20_000
    for tags, p in ((("prod",), 0.15), (("write",), 0.10), (("read",), 0.025), ((), 0.05)):
        hits = sum(sampler.sample(result(f"t.{'.'.join(tags)}-{i}", risk_tags=list(tags)), Decision.ALLOW,
                                  frozenset(), False, NOW,
                                  job_hash=JOB_HASH).selected for i in range(n))
        tolerance = 4 * math.sqrt(p * (1 - p) / n)
        assert abs(hits / n - p) < tolerance, (tags, hits / n, p)


@pytest.mark.parametrize(("extra", "decision", "first", "reason"), [
    ({}, Decision.QUARANTINE, False, "quarantined"),
    ({"amount_usd": 1500.0}, Decision.ALLOW, False, "amount_usd_above:1000"),
    ({"affected_users": 101}, Decision.ALLOW, False, "affected_users_above:100"),
    ({}, Decision.ALLOW, True, "first_time_agent_action"),
])
def test_mandatory_items_are_always_selected(extra: dict[str, Any], decision: Decision,
                                             first: bool, reason: str) -> None:
    sampler = Sampler(policy(base_rate=0.0), ROUTING, KEY, "v1:abc")
    record = sampler.sample(result(**extra), decision, frozenset(), first, NOW, job_hash=JOB_HASH)
    assert record.selected and reason in record.mandatory_reasons
    assert record.inclusion_probability == 1.0


def test_thresholds_are_strict() -> None:
    sampler = Sampler(policy(base_rate=0.0), ROUTING, KEY, "v1:abc")
    record = sampler.sample(result(amount_usd=1000.0, affected_users=100), Decision.ALLOW,
                            frozenset(), False, NOW, job_hash=JOB_HASH)
    assert not record.selected and record.mandatory_reasons == ()


def test_budget_caps_sampled_items_but_never_mandatory_ones() -> None:
    capped = policy(base_rate=1.0, budgets={"ops-review": {"max_samples": 3, "window": "1h",
                                                           "max_share_per_agent": 1.0}})
    sampler = Sampler(capped, ROUTING, KEY, "v1:abc")
    sampled = [sampler.sample(result(f"s{i}"), Decision.ALLOW, frozenset(), False, NOW,
                              job_hash=JOB_HASH)
               for i in range(10)]
    assert [r.selected for r in sampled] == [True] * 3 + [False] * 7
    assert all(r.budget_dropped for r in sampled[3:])
    mandatory = [sampler.sample(result(f"m{i}"), Decision.QUARANTINE, frozenset(), False, NOW,
                                job_hash=JOB_HASH)
                 for i in range(5)]
    assert all(r.selected for r in mandatory)
    next_window = sampler.sample(result("later"), Decision.ALLOW, frozenset(), False,
                                 NOW + timedelta(hours=1), job_hash=JOB_HASH)
    assert next_window.selected, "a new window has a fresh budget"


def test_budget_windows_are_aligned_so_workers_agree() -> None:
    ledger = BudgetLedger(dict(policy(budgets={"g": {"max_samples": 1, "window": "15m"}})
                               .budgets))
    assert ledger.window_start("g", NOW) == datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("action", "entities", "group"), [
    ("job.billing.process-refund", frozenset(), "finance-approvers"),
    ("job.devops.run", frozenset({"CREDENTIAL"}), "security-team"),
    ("job.support.lookup", frozenset({"EMAIL_ADDRESS"}), "ops-review"),
])
def test_routing_sends_items_to_reviewer_groups(action: str, entities: frozenset[str],
                                                group: str) -> None:
    sampler = Sampler(policy(), ROUTING, KEY, "v1:abc")
    record = sampler.sample(result(action=action), Decision.QUARANTINE, entities, False, NOW,
                            job_hash=JOB_HASH)
    assert record.reviewer_group == group


def test_each_worker_admits_its_share_of_a_budget() -> None:
    capped = policy(base_rate=1.0, budgets={"ops-review": {"max_samples": 10, "window": "1h",
                                                           "max_share_per_agent": 1.0}})
    workers = [Sampler(capped, ROUTING, KEY, "v1:abc",
                       BudgetLedger(dict(capped.budgets), share=share))
               for share in (1 / 3, 2 / 3)]  # one worker owns 1 of 3 partitions, the other 2
    admitted = [sum(w.sample(result(f"{i}-{j}"), Decision.ALLOW, frozenset(), False, NOW,
                             job_hash=JOB_HASH).selected for j in range(20))
                for i, w in enumerate(workers)]
    assert admitted == [4, 7], "ceil(10/3) and ceil(20/3): together about the group's budget"


def test_mandatory_volume_over_budget_is_flagged_once_but_never_dropped() -> None:
    capped = policy(base_rate=0.0, budgets={"security-team": {"max_samples": 2, "window": "1h"}})
    sampler = Sampler(capped, ROUTING, KEY, "v1:abc")
    records = [sampler.sample(result(f"q{i}"), Decision.QUARANTINE, frozenset({"CREDENTIAL"}),
                              False, NOW, job_hash=JOB_HASH) for i in range(5)]
    assert all(r.selected for r in records)
    assert [r.mandatory_over_budget for r in records] == [False, False, True, False, False]
