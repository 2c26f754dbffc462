"""The agent's own claims (audience, risk tags, amount) can only make its treatment stricter:
the policy binds audience, risk tags and floors to input topics and agent ids, and a claim that
would relax them has no effect, while one that tightens them is honoured."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from detectors import DetectorEngine
from policies import HashKey, LoadedPolicy, PolicyError, load_policy, shipped_policy_path
from policies.loader import parse_policy
from sampling.draw import SamplingKey
from streams.config import Topics
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Pipeline
from streams.worker.review_stage import ReviewStage

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ENGINE = DetectorEngine()
KEY = HashKey.from_secret(b"k" * 32)
BINDINGS = [
    {"id": "support-is-customer", "topics": ["agent.support"], "audience": "customer",
     "reason": "support replies reach customers"},
    {"id": "ops-is-internal", "topics": ["agent.ops"], "audience": "internal",
     "reason": "only internal tools read ops results"},
    {"id": "prod-deploys", "topics": ["agent.deploy"], "risk_tags": ["prod"]},
    {"id": "refunds-are-large", "agents": ["billing-*"], "amount_usd_at_least": 5000},
]
EMAIL, IP = "ann.lee@example.com", "10.1.2.3"
OUTPUT = {"reply": f"mail {EMAIL} from {IP}", "internal_notes": "churn risk"}


def policy(bindings: list[dict[str, Any]] = BINDINGS, **changes: Any) -> LoadedPolicy:
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["trust"] = {"bindings": bindings}
    data.update(changes)
    return parse_policy(yaml.safe_dump(data), "test.yaml")


def decide(topic: str, loaded: LoadedPolicy | None = None, **fields: Any) -> dict[str, Any]:
    """The audit record and decision of one result read from `topic`."""
    doc = {"job_id": "j1", "agent_id": "agent-1", "action": "job.support.reply",
           "output": OUTPUT, **fields}
    review = ReviewStage(lambda _ref: SamplingKey("s", b"s" * 32), lambda _a, _b: False)
    pipeline = Pipeline(ENGINE, loaded or policy(), KEY, Topics(inputs=(topic,)), "w-1",
                        review=review)
    emits = pipeline.process([RawRecord(topic, 0, 1, b"j1", json.dumps(doc).encode())], NOW)
    by_topic = {e.topic: json.loads(e.value) for e in emits}
    decision = by_topic.get("afterguard.released") or by_topic["afterguard.quarantine"]
    return {"output": decision["output"], "decision": decision["decision"],
            "sampling": by_topic["afterguard.audit"]["sampling"]}


CUSTOMER_VIEW = {"reply": "mail [REDACTED:EMAIL_ADDRESS] from [REDACTED:IP_ADDRESS]"}


def test_claiming_internal_on_a_customer_topic_has_no_effect() -> None:
    claimed = decide("agent.support", audience="internal")
    assert claimed["output"] == CUSTOMER_VIEW, "notes removed, contact redacted, IP redacted"
    assert claimed["output"] == decide("agent.support")["output"]


@pytest.mark.parametrize("name", ["bindings elsewhere", "shipped default", "shipped strict"])
def test_claiming_internal_without_any_binding_has_no_effect(name: str) -> None:
    loaded = {"bindings elsewhere": policy(), "shipped default": load_policy(
        shipped_policy_path("default")), "shipped strict": load_policy(
        shipped_policy_path("strict"))}[name]
    claimed = decide("agent.actions", loaded, audience="internal")["output"]
    assert claimed == decide("agent.actions", loaded)["output"]
    assert "internal_notes" not in claimed and EMAIL not in claimed["reply"]


def test_an_internal_topic_gets_internal_treatment() -> None:
    output = decide("agent.ops")["output"]
    assert output["internal_notes"] == "churn risk"
    assert EMAIL not in output["reply"] and "[HASH:" in output["reply"] and IP in output["reply"]


def test_claiming_customer_on_an_internal_topic_tightens_to_customer() -> None:
    assert decide("agent.ops", audience="customer")["output"] == CUSTOMER_VIEW


def test_omitting_prod_on_a_prod_topic_has_no_effect() -> None:
    deploy = decide("agent.deploy", action="job.deploy.delete-cluster", risk_tags=["write"])
    assert "matcher:prod-deletes" in deploy["sampling"]["mandatory_reasons"]
    assert deploy["sampling"]["stratum"] == "prod"


def test_adding_risk_tags_adds_review() -> None:
    plain = decide("agent.other", action="job.finance.pay")
    tagged = decide("agent.other", action="job.finance.pay", risk_tags=["financial"])
    assert tagged["sampling"]["probability"] > plain["sampling"]["probability"]
    assert tagged["sampling"]["reviewer_group"] == "finance-approvers"


def test_under_reporting_an_amount_has_no_effect_on_a_bound_agent() -> None:
    low = decide("agent.other", agent_id="billing-agent-2", amount_usd=10.0)
    assert "amount_usd_above:1000" in low["sampling"]["mandatory_reasons"]
    silent = decide("agent.other", agent_id="billing-agent-2")
    assert "amount_usd_above:1000" in silent["sampling"]["mandatory_reasons"]
    assert "amount_usd_above:1000" in decide("agent.other", amount_usd=2000.0)[
        "sampling"]["mandatory_reasons"], "a larger claimed amount still tightens"


def test_a_claimed_tag_cannot_reach_a_rule_that_allows() -> None:
    """Even a policy whose rules relax for a tag: a claimed tag never relaxes a finding."""
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["rules"].insert(0, {"id": "sandbox-ips", "when": {"risk_tags": ["sandbox"]},
                             "entities": ["IP_ADDRESS"], "decision": "allow",
                             "reason": "sandbox addresses are synthetic"})
    data["trust"] = {"bindings": [{"id": "sandbox", "topics": ["agent.sandbox"],
                                   "risk_tags": ["sandbox"]}]}
    loaded = parse_policy(yaml.safe_dump(data), "t.yaml")
    assert IP in decide("agent.sandbox", loaded)["output"]["reply"], "bound: allowed"
    assert IP not in decide("agent.other", loaded, risk_tags=["sandbox"])["output"]["reply"]


def test_a_claimed_low_weight_tag_cannot_lower_the_sampling_rate() -> None:
    data = yaml.safe_load(shipped_policy_path("default").read_text())
    data["sampling"]["combine"] = "min"
    data["trust"] = {"bindings": [{"id": "prod", "topics": ["agent.deploy"],
                                   "risk_tags": ["prod"]}]}
    loaded = parse_policy(yaml.safe_dump(data), "t.yaml")
    bound = decide("agent.deploy", loaded)["sampling"]["probability"]
    claimed = decide("agent.deploy", loaded, risk_tags=["read"])["sampling"]["probability"]
    assert claimed == bound


def test_bindings_are_checked_and_part_of_the_snapshot() -> None:
    assert policy().snapshot != policy(BINDINGS[:1]).snapshot
    with pytest.raises(PolicyError, match="must be bound to input topics"):
        policy([{"id": "x", "agents": ["ops-*"], "audience": "internal"}])
    with pytest.raises(PolicyError, match="needs audience, risk_tags"):
        policy([{"id": "x", "topics": ["t"]}])
    with pytest.raises(PolicyError, match="used twice"):
        policy([{"id": "x", "topics": ["t"], "risk_tags": ["a"]},
                {"id": "x", "topics": ["u"], "risk_tags": ["b"]}])
