"""The scorer's shell pieces without Kafka: audit decisions counted per pair, level changes
that pass the evidence contract and seal into a chain, and the worker's supervision of
level-0 agents."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from policies import ActionResult, HashKey, LoadedPolicy, load_policy, shipped_policy_path
from policies.decide import decide
from sampling.autonomy import SignOff
from sampling.draw import SamplingKey
from streams.audit.chain import AuditChain
from streams.audit.evidence import evidence_problems
from streams.autonomy.events import DecisionsSeen, from_audit, pair_key
from streams.autonomy.levels import AutonomyLevels
from streams.autonomy.scoring import score
from streams.records import SourceRef
from streams.worker.review_stage import ReviewStage

JOB_HASH = "sha256:" + "ab" * 32

POLICY = load_policy(shipped_policy_path("default"))
NOW = datetime(2026, 3, 1, tzinfo=UTC)
SOURCE = SourceRef(topic="x-autonomy-events", partition=1, offset=7)


def audit(agent: str, action: str, decision: str, selected: bool, kind: str = "decision"
          ) -> bytes:
    return json.dumps({"event_type": kind, "agent_id": agent, "action": action,
                       "payload": {"decision": decision}, "sampling": {"selected": selected}}
                      ).encode()


def test_audit_decisions_are_counted_per_agent_and_action_class() -> None:
    seen = from_audit([audit("a", "job.support.lookup", "ALLOW", False),
                       audit("a", "job.support.refund", "QUARANTINE", True),
                       audit("b", "job.support.lookup", "ALLOW", True),
                       audit("a", "job.support.lookup", "ALLOW", False, kind="verdict"),
                       b"not json"])
    assert {(s.agent_id, s.action_class, s.decisions, s.quarantined, s.selected)
            for s in seen} == {("a", "job.support", 2, 1, 1), ("b", "job.support", 1, 0, 1)}


def test_a_manual_change_is_an_audit_record_that_passes_the_contract_and_seals() -> None:
    first = score(None, DecisionsSeen(agent_id="a", action_class="job.support", decisions=1,
                                      quarantined=0, selected=1), POLICY, "scorer-1", SOURCE, NOW)
    assert first.audit is None and first.state.level == 0
    raised = first.state.model_copy(update={"level": 2})
    signoff = SignOff(signoff_id="so-1", agent_id="a", action_class="job.support", level=1,
                      reviewer="dana", requested_at=NOW)
    lowered = score(raised, signoff, POLICY, "scorer-1", SOURCE, NOW)
    assert lowered.state.level == 1 and lowered.audit is not None
    record = lowered.audit
    assert record.event_type == "autonomy_change" and record.approver_id == "dana"
    assert evidence_problems(record) == []
    assert evidence_problems(record.model_copy(update={"approver_id": None})) == [
        "approver_id is required for an autonomy change a person made"]
    sealed = AuditChain.fresh(3).seal(record, SOURCE.partition)
    assert sealed.partition == 1 and json.loads(sealed.value)["chain"]["seq"] == 1


def result(agent: str, action: str) -> ActionResult:
    return ActionResult.model_validate({"job_id": "j-1", "agent_id": agent, "action": action,
                                        "output": {"ok": True}, "risk_tags": ["read"]})


def stage(levels: AutonomyLevels) -> ReviewStage:
    key = SamplingKey(key_id="k", secret=b"s" * 32)
    return ReviewStage(lambda _ref: key, lambda _a, _b: False, autonomy_level=levels.level_of)


def reasons(review: ReviewStage, policy: LoadedPolicy, agent: str, action: str) -> tuple[str, ...]:
    r = result(agent, action)
    outcome = decide(r, [], policy.policy, HashKey.from_secret(b"h" * 32))
    record = review.sample(r, outcome, policy, NOW, JOB_HASH)
    assert record is not None
    return record.mandatory_reasons


def test_level_0_agents_are_always_reviewed_and_promoted_ones_are_sampled() -> None:
    levels = AutonomyLevels()
    levels.learn(json.dumps({"agent_id": "promoted", "action_class": "job.support",
                             "level": 1}).encode())
    review = stage(levels)
    assert reasons(review, POLICY, "newcomer", "job.support.read") == ("autonomy_level_0",)
    assert reasons(review, POLICY, "promoted", "job.support.read") == ()
    assert reasons(review, POLICY, "promoted", "job.billing.refund") == ("autonomy_level_0",)
    assert pair_key("a", "b") == "a\x1fb"


def test_an_older_level_record_written_again_does_not_replace_the_newer_one() -> None:
    levels = AutonomyLevels()

    def record(level: int, at: str) -> bytes:
        return json.dumps({"agent_id": "a", "action_class": "job.support", "level": level,
                           "updated_at": at}).encode()

    old, new = record(3, "2026-11-01T00:00:00+00:00"), record(0, "2026-11-02T00:00:00+00:00")
    levels.learn(old)
    levels.learn(new)  # demoted
    levels.learn(old)  # the old, validly signed record replayed by someone who can write
    assert levels.level_of("a", "job.support") == 0


def test_a_level_record_of_the_wrong_shape_is_skipped_and_the_next_one_learnt() -> None:
    """A list as the agent (cannot key the table) or a time without its zone (cannot be
    compared) raised out of `learn`, so out of the follower: the records after it went
    unread (tests/integration/test_review_service_attacks.py, through the review service)."""
    levels = AutonomyLevels()
    levels.learn(json.dumps({"agent_id": "a", "action_class": "job.support", "level": 1,
                             "updated_at": "2026-11-01T00:00:00+00:00"}).encode())
    levels.learn(json.dumps({"agent_id": ["a"], "action_class": "job.support",
                             "level": 3}).encode())
    levels.learn(json.dumps({"agent_id": "a", "action_class": "job.support", "level": 2,
                             "updated_at": "2026-11-02T00:00:00"}).encode())  # no zone: UTC
    assert levels.level_of("a", "job.support") == 2
