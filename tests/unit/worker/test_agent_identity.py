"""`agent_id` is the agent's own claim. An agent that writes another agent's id borrows that
agent's autonomy level (a level-3 agent's results are sampled, a level-0 agent's all
reviewed), its first-time marks, and its review record (its rejected results count as the other
agent's errors and demote it). The policy's `trust.identities` say which agents write which
input topics (the topics are what Kafka's ACLs bind to principals): a result whose agent_id is
not allowed on its topic is a dead letter, decided and audited under no one's name."""

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
LEVELS = {("billing-bot-1", "job.support"): 3}  # the billing agent earned level 3 for support


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


def _raw(topic: str, offset: int, agent_id: str) -> RawRecord:
    job_id = f"job-{offset}"
    doc = {"job_id": job_id, "agent_id": agent_id, "action": "job.support.reply",
           "output": {"note": "refund sent"}}
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


def test_without_identities_a_borrowed_id_borrows_the_level(tmp_path: Path) -> None:
    """The attack, where the policy names no identities (as before): the same result is
    reviewed under its own id and passes unreviewed under the level-3 agent's."""
    pipeline = _pipeline(_policy(tmp_path, []))
    emits = _by_topic(pipeline.process([_raw(SUPPORT, 1, "support-bot-7"),
                                        _raw(SUPPORT, 2, "billing-bot-1")], NOW))
    reviewed = {r["source"]["offset"] for r in emits.get(TOPICS.review, [])}
    assert reviewed == {1}
    assert len(emits[TOPICS.audit]) == 2
