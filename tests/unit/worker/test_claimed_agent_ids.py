"""Budget shares and first-time marks are kept for a verified identity, not a claimed agent id.

Without `trust.identities` an agent id is the writer's claim (red team, 28 Nov): one writer that
put a new `agent_id` on each result took a reviewer budget share per id, used up the group's
budget and left other agents' drawn results unreviewed; and a writer that claimed another
agent's id for an action that agent had not done yet used up its first-time review. Where no
identity names the topic, the share is now the topic's (the credential Kafka verified) and a
first-time mark is kept for `<topic>/<agent_id>`; where one does, for the identity (its
agent globs are one writer) and, for first-time marks, `identity:<id>/<agent_id>`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from policies.loader import LoadedPolicy
from sampling import SamplingKey
from streams.config import Topics
from streams.worker.codec import RawRecord
from streams.worker.first_seen import FirstSeen
from streams.worker.pipeline import Pipeline
from streams.worker.review_stage import ReviewStage
from tests.unit.worker.test_agent_identity import NOW

HOSTILE, QUIET = "agent.flood.actions", "agent.quiet.actions"
TOPICS = Topics(inputs=(HOSTILE, QUIET))


def _policy(tmp_path: Path, identities: list[dict[str, Any]] | None = None) -> LoadedPolicy:
    """Results tagged `urgent` are always drawn; the default group reviews 8 an hour."""
    document = yaml.safe_load(shipped_policy_path("default").read_text())
    sampling = document["sampling"]
    sampling["weights"]["urgent"] = 100.0
    sampling["budgets"]["ops-review"] = {"max_samples": 8, "window": "1h"}
    if identities:
        document.setdefault("trust", {})["identities"] = identities
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(document))
    return load_policy(path)


def _sampled(tmp_path: Path, records: list[RawRecord],
             identities: list[dict[str, Any]] | None = None,
             first_seen: FirstSeen | None = None) -> dict[tuple[str, int], Any]:
    key = SamplingKey("sampling-key-1", b"s" * 32)
    marks = first_seen.mark if first_seen is not None else lambda _agent, _action: False
    pipeline = Pipeline(DetectorEngine(ner_model=None), _policy(tmp_path, identities),
                        HashKey.from_secret(b"k" * 32), TOPICS, "w-1",
                        review=ReviewStage(lambda _ref: key, marks))
    audits = [json.loads(e.value) for e in pipeline.process(records, NOW)
              if e.topic == TOPICS.audit]
    return {(a["source"]["topic"], a["source"]["offset"]): a["sampling"] for a in audits}


def _raw(topic: str, offset: int, agent_id: str, action: str = "job.support.reply") -> RawRecord:
    doc = {"job_id": f"job-{topic}-{offset}", "agent_id": agent_id,
           "action": action, "risk_tags": ["urgent"], "output": {"note": "done"}}
    return RawRecord(topic, 0, offset, doc["job_id"].encode(), json.dumps(doc).encode())


def test_many_claimed_agent_ids_on_one_topic_take_one_share(tmp_path: Path) -> None:
    flood = [_raw(HOSTILE, n, f"agent-{n}") for n in range(40)]  # a new id on every result
    quiet = [_raw(QUIET, n, "agent-quiet") for n in range(2)]
    sampled = _sampled(tmp_path, [*flood, *quiet])
    assert all(sampled[(HOSTILE, n)]["drawn"] for n in range(40))
    assert [sampled[(QUIET, n)]["selected"] for n in range(2)] == [True, True], (
        "one writer's claimed agent ids used up the group's budget: the quiet agent's drawn "
        "results are not reviewed")
    assert sum(sampled[(HOSTILE, n)]["selected"] for n in range(40)) == 2  # ceil(8 x 0.25)
    assert {sampled[(HOSTILE, n)]["budget_drop_reason"] for n in range(2, 40)} == {
        "agent_share_exhausted"}


def test_an_identitys_agent_globs_take_one_share_however_many_ids_it_claims(
        tmp_path: Path) -> None:
    """`agents: ["agent-*"]` vouches that the topic's writer is one of those agents, not
    which one: a writer that put a new id matching the glob on each result took a share per
    id (before), used up the group's budget and left the other identity's drawn results
    unreviewed. Now the share is the identity's."""
    identities = [{"id": "flood-writers", "topics": [HOSTILE], "agents": ["agent-*"]},
                  {"id": "quiet-writers", "topics": [QUIET], "agents": ["quiet-*"]}]
    flood = [_raw(HOSTILE, n, f"agent-{n}") for n in range(40)]
    quiet = [_raw(QUIET, n, "quiet-1") for n in range(2)]
    sampled = _sampled(tmp_path, [*flood, *quiet], identities)
    assert [sampled[(QUIET, n)]["selected"] for n in range(2)] == [True, True], (
        "the identity's claimed agent ids used up the group's budget")
    assert sum(sampled[(HOSTILE, n)]["selected"] for n in range(40)) == 2  # ceil(8 x 0.25)


def test_another_agents_id_does_not_use_up_its_first_time_review(tmp_path: Path) -> None:
    first_seen = FirstSeen()
    sampled = _sampled(tmp_path, [_raw(HOSTILE, 1, "agent-quiet", "job.billing.refund"),
                                  _raw(QUIET, 1, "agent-quiet", "job.billing.refund"),
                                  _raw(QUIET, 2, "agent-quiet", "job.billing.refund")],
                       first_seen=first_seen)
    reasons = {where: s["mandatory_reasons"] for where, s in sampled.items()}
    assert "first_time_agent_action" in reasons[(QUIET, 1)], (
        "a writer that claimed the quiet agent's id on its own topic used up the quiet "
        "agent's first-time review")
    assert "first_time_agent_action" in reasons[(HOSTILE, 1)]  # its own first time
    assert "first_time_agent_action" not in reasons[(QUIET, 2)]


def test_an_identity_keeps_first_time_marks_by_the_agent_id_it_vouches_for(
        tmp_path: Path) -> None:
    identities = [{"id": "quiet-writers", "topics": [QUIET, HOSTILE], "agents": ["agent-*"]}]
    sampled = _sampled(tmp_path, [_raw(HOSTILE, 1, "agent-quiet", "job.billing.refund"),
                                  _raw(QUIET, 1, "agent-quiet", "job.billing.refund")],
                       identities, FirstSeen())
    assert "first_time_agent_action" not in sampled[(QUIET, 1)]["mandatory_reasons"]
