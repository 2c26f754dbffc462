"""`agent_id` is the agent's own claim. An agent that wrote another agent's id borrowed that
agent's autonomy level (a level-3 agent's results are sampled, a level-0 agent's all
reviewed), its first-time marks, and its review record (its rejected results counted as the
other agent's errors and demoted it). Levels are now kept per verified identity (the source
topic, or the `trust.identities` entry that names it), so a claimed id borrows nothing. The
policy's `trust.identities` say which agents write which input topics (the topics are what
Kafka's ACLs bind to principals): a result whose agent_id is not allowed on its topic is a dead
letter, decided and audited under no one's name."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from detectors import DetectorEngine
from policies import HashKey, PolicyError, load_policy, shipped_policy_path
from policies.loader import LoadedPolicy
from sampling import SamplingKey
from streams.config import Topics
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Emit, Pipeline
from streams.worker.review_stage import ReviewStage

NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
SUPPORT, BILLING, OTHER = "agent.support.actions", "agent.billing.actions", "agent.misc.actions"
TOPICS = Topics(inputs=(SUPPORT, BILLING, OTHER))
IDENTITIES = [
    {"id": "support-writers", "topics": ["agent.support.*"], "agents": ["support-bot-*"]},
    {"id": "billing-writers", "topics": ["agent.billing.*"], "agents": ["billing-bot-*"]},
]
# the billing agent earned level 3 for support, on its own topic (as the levels were kept
# before: by its agent id; now: by its topic, or the identity that names it)
LEVELS = {("billing-bot-1", "job.support"): 3, (f"topic:{BILLING}", "job.support"): 3,
          ("identity:billing-writers", "job.support"): 3}


def _policy(tmp_path: Path, identities: list[dict[str, Any]]) -> LoadedPolicy:
    document = yaml.safe_load(shipped_policy_path("default").read_text())
    if identities:
        document.setdefault("trust", {})["identities"] = identities
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(document))
    return load_policy(path)


def _pipeline(policy: LoadedPolicy) -> Pipeline:
    key = SamplingKey("sampling-key-1", b"s" * 32)
    stage = ReviewStage(lambda _ref: key,
                        lambda _agent, _action: False,
                        autonomy_level=lambda agent, cls: LEVELS.get((agent, cls)))
    return Pipeline(DetectorEngine(ner_model=None), policy, HashKey.from_secret(b"k" * 32),
                    TOPICS, "w-1", review=stage)


def _raw(topic: str, offset: int, agent_id: str, action: str = "job.support.reply",
         output: Any = None, **claims: Any) -> RawRecord:
    job_id = f"job-{offset}"
    doc = {"job_id": job_id, "agent_id": agent_id, "action": action,
           "output": output or {"note": "refund sent"}, **claims}
    return RawRecord(topic, 0, offset, job_id.encode(), json.dumps(doc).encode())


def _by_topic(emits: list[Emit]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for emit in emits:
        out.setdefault(emit.topic, []).append(json.loads(emit.value))
    return out


def test_an_agent_cannot_borrow_another_agents_id_on_its_own_topic(tmp_path: Path) -> None:
    pipeline = _pipeline(_policy(tmp_path, IDENTITIES))
    emits = _by_topic(pipeline.process([
        _raw(SUPPORT, 1, "support-bot-7"),   # its own id on its own topic
        _raw(SUPPORT, 2, "billing-bot-1"),   # borrowing the level-3 billing agent's id
        _raw(BILLING, 3, "billing-bot-1"),   # the billing agent itself
        _raw(OTHER, 4, "billing-bot-1"),     # a topic no identity names: as before
    ], NOW))

    audited = {(a["source"]["topic"], a["source"]["offset"]) for a in emits[TOPICS.audit]}
    assert audited == {(SUPPORT, 1), (BILLING, 3), (OTHER, 4)}
    [letter] = emits[TOPICS.deadletter]
    assert (letter["source"]["topic"], letter["source"]["offset"]) == (SUPPORT, 2)
    assert letter["error"] == "invalid_record"
    assert "support-writers" in letter["reason"] and SUPPORT in letter["reason"]
    assert "billing-bot-1" not in letter["reason"]
    # the support agent's own result is reviewed at its own level (0: every result)
    reviewed = {(r["source"]["topic"], r["source"]["offset"]) for r in emits[TOPICS.review]}
    assert (SUPPORT, 1) in reviewed


def test_identities_are_checked_when_the_policy_loads(tmp_path: Path) -> None:
    with pytest.raises(PolicyError):
        _policy(tmp_path, [{"id": "no-agents", "topics": ["agent.*"], "agents": []}])
    with pytest.raises(PolicyError):
        _policy(tmp_path, [{"id": "twice", "topics": ["a.*"], "agents": ["x"]},
                           {"id": "twice", "topics": ["b.*"], "agents": ["y"]}])


def test_without_identities_a_borrowed_id_borrows_no_level(tmp_path: Path) -> None:
    """The attack, where the policy names no identities: the level-0 support topic's writer
    claims the level-3 billing agent's id. Before, its result passed unreviewed at level 3;
    now the level is its topic's (level 0: reviewed), and the billing agent's own result on
    its own topic keeps level 3."""
    pipeline = _pipeline(_policy(tmp_path, []))
    emits = _by_topic(pipeline.process([_raw(SUPPORT, 1, "support-bot-7"),
                                        _raw(SUPPORT, 2, "billing-bot-1"),
                                        _raw(BILLING, 3, "billing-bot-1")], NOW))
    reasons = {a["source"]["offset"]: a["sampling"]["mandatory_reasons"]
               for a in emits[TOPICS.audit]}
    assert "autonomy_level_0" in reasons[1]
    assert "autonomy_level_0" in reasons[2], "a claimed id borrowed the billing agent's level"
    assert "autonomy_level_0" not in reasons[3]


ROWS = {"rows": [{"tenant_id": "globex", "customer": "c-1", "balance": 10}]}
SCOPED = [
    {"id": "acme-readers", "topics": ["agent.support.*"], "agents": ["support-bot-*"],
     "actions": ["job.*.read", "job.*.list"], "tenant": "acme"},
]


def test_an_identity_binds_actions_and_the_tenant(tmp_path: Path) -> None:
    """A read-only agent cannot name a write (or a write a read) on its topic, nor claim another
    tenant, or none, so that another tenant's rows pass as its own."""
    pipeline = _pipeline(_policy(tmp_path, SCOPED))
    emits = _by_topic(pipeline.process([
        _raw(SUPPORT, 1, "support-bot-7", "job.crm.read", tenant="acme"),
        _raw(SUPPORT, 2, "support-bot-7", "job.crm.delete", tenant="acme"),
        _raw(SUPPORT, 3, "support-bot-7", "job.crm.read", ROWS, tenant="globex"),
        _raw(SUPPORT, 4, "support-bot-7", "job.crm.read", ROWS),  # names no tenant
    ], NOW))
    letters = {letter["source"]["offset"] for letter in emits[TOPICS.deadletter]}
    assert letters == {2, 3}
    decided = {a["source"]["offset"]: a for a in emits[TOPICS.audit]}
    assert set(decided) == {1, 4}
    assert decided[4]["tenant"] == "acme"
    assert decided[4]["payload"]["decision"] == "QUARANTINE", "globex rows are cross-tenant"


def test_without_identities_a_missing_tenant_hides_cross_tenant_rows(tmp_path: Path) -> None:
    """The attack, without identities (as before): the same rows are quarantined as another
    tenant's under the agent's tenant, and released when it names none or the other one."""
    pipeline = _pipeline(_policy(tmp_path, []))
    emits = _by_topic(pipeline.process([
        _raw(SUPPORT, 1, "support-bot-7", "job.crm.read", ROWS, tenant="acme"),
        _raw(SUPPORT, 2, "support-bot-7", "job.crm.read", ROWS),
        _raw(SUPPORT, 3, "support-bot-7", "job.crm.read", ROWS, tenant="globex"),
    ], NOW))
    decisions = {a["source"]["offset"]: a["payload"]["decision"] for a in emits[TOPICS.audit]}
    assert decisions == {1: "QUARANTINE", 2: "ALLOW", 3: "ALLOW"}
