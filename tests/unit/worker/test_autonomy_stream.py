"""The scorer's shell pieces without Kafka: audit decisions counted per pair (the verified
identity of their source topic and the action class), level changes that pass the evidence
contract and seal into a chain, and the worker's supervision of level-0 identities."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from policies import ActionResult, HashKey, LoadedPolicy, load_policy, shipped_policy_path
from policies.decide import decide
from policies.sections.trust import TrustPolicy
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


def audit(agent: str, action: str, decision: str, selected: bool, kind: str = "decision",
          topic: str | None = "a.actions") -> bytes:
    source = None if topic is None else {"topic": topic, "partition": 0, "offset": 1}
    return json.dumps({"event_type": kind, "agent_id": agent, "action": action,
                       "payload": {"decision": decision}, "sampling": {"selected": selected},
                       "source": source}).encode()


def test_audit_decisions_are_counted_per_source_topic_and_action_class() -> None:
    """The pair is the source topic's (no identity names it), whatever agent id the results
    claim: `b` on topic a.actions counts for a.actions, labelled with the id it claimed."""
    seen = from_audit([audit("a", "job.support.lookup", "ALLOW", False),
                       audit("a", "job.support.refund", "QUARANTINE", True),
                       audit("b", "job.support.lookup", "ALLOW", True),
                       audit("b", "job.support.lookup", "ALLOW", True, topic="b.actions"),
                       audit("a", "job.support.lookup", "ALLOW", False, topic=None),
                       audit("a", "job.support.lookup", "ALLOW", False, kind="verdict"),
                       b"not json"])
    assert {(s.identity, s.action_class, s.decisions, s.quarantined, s.selected)
            for s in seen} == {("topic:a.actions", "job.support", 3, 1, 2),
                               ("topic:b.actions", "job.support", 1, 0, 1)}


def test_an_identity_that_names_the_topic_is_the_pair() -> None:
    trust = TrustPolicy.model_validate({"identities": [
        {"id": "support", "topics": ["a.*"], "agents": ["bot-*"]}]})
    seen = from_audit([audit("bot-1", "job.support.lookup", "ALLOW", False),
                       audit("bot-2", "job.support.lookup", "ALLOW", False)], trust=trust)
    assert [(s.identity, s.decisions, s.agent_id) for s in seen] == [
        ("identity:support", 2, "bot-2")]


def test_a_manual_change_is_an_audit_record_that_passes_the_contract_and_seals() -> None:
    first = score(None, DecisionsSeen(identity="topic:a.actions", agent_id="a",
                                      action_class="job.support", decisions=1,
                                      quarantined=0, selected=1), POLICY, "scorer-1", SOURCE, NOW)
    assert first.state.agent_ids == ("a",)
    assert first.audit is None and first.state.level == 0
    raised = first.state.model_copy(update={"level": 2})
    signoff = SignOff(signoff_id="so-1", identity="topic:a.actions", action_class="job.support",
                      level=1,
                      reviewer="dana", requested_at=NOW)
    lowered = score(raised, signoff, POLICY, "scorer-1", SOURCE, NOW)
    assert lowered.state.level == 1 and lowered.audit is not None
    record = lowered.audit
    assert record.event_type == "autonomy_change" and record.approver_id == "dana"
    assert record.agent_id == "topic:a.actions"
    assert record.job_id == "autonomy:topic:a.actions:job.support"
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


def reasons(review: ReviewStage, policy: LoadedPolicy, agent: str, action: str,
            topic: str = "promoted.actions") -> tuple[str, ...]:
    r = result(agent, action)
    outcome = decide(r, [], policy.policy, HashKey.from_secret(b"h" * 32))
    record = review.sample(r, outcome, policy, NOW, JOB_HASH, topic=topic)
    assert record is not None
    return record.mandatory_reasons


def test_level_0_identities_are_always_reviewed_and_promoted_ones_are_sampled() -> None:
    levels = AutonomyLevels()
    levels.learn(json.dumps({"identity": "topic:promoted.actions", "agent_ids": ["promoted"],
                             "action_class": "job.support", "level": 1}).encode())
    review = stage(levels)
    assert reasons(review, POLICY, "newcomer", "job.support.read",
                   "newcomer.actions") == ("autonomy_level_0",)
    assert reasons(review, POLICY, "promoted", "job.support.read") == ()
    assert reasons(review, POLICY, "newcomer", "job.support.read") == (), "the topic's level"
    assert reasons(review, POLICY, "promoted", "job.billing.refund") == ("autonomy_level_0",)
    assert reasons(review, POLICY, "promoted", "job.support.read",
                   "other.actions") == ("autonomy_level_0",), "a claimed id borrows no level"
    assert pair_key("a", "b") == "a\x1fb"


def test_a_level_record_of_the_earlier_format_is_passed_over() -> None:
    """Records keyed by a claimed agent id (before levels were kept per verified identity)
    give no level: their pairs start again at the initial level (docs/autonomy.md)."""
    levels = AutonomyLevels()
    levels.learn(json.dumps({"agent_id": "promoted", "action_class": "job.support",
                             "level": 3}).encode())
    assert levels.levels == {} and levels.passed_over == 1


def test_an_older_level_record_written_again_does_not_replace_the_newer_one() -> None:
    levels = AutonomyLevels()

    def record(level: int, at: str) -> bytes:
        return json.dumps({"identity": "topic:a", "action_class": "job.support",
                           "level": level, "updated_at": at}).encode()

    old, new = record(3, "2026-11-01T00:00:00+00:00"), record(0, "2026-11-02T00:00:00+00:00")
    levels.learn(old)
    levels.learn(new)  # demoted
    levels.learn(old)  # the old, validly signed record replayed by someone who can write
    assert levels.level_of("topic:a", "job.support") == 0


def test_a_level_record_of_the_wrong_shape_is_skipped_and_the_next_one_learnt() -> None:
    """A list as the agent (cannot key the table) or a time without its zone (cannot be
    compared) raised out of `learn`, so out of the follower: the records after it went
    unread (tests/integration/test_review_service_attacks.py, through the review service)."""
    levels = AutonomyLevels()
    levels.learn(json.dumps({"identity": "topic:a", "action_class": "job.support", "level": 1,
                             "updated_at": "2026-11-01T00:00:00+00:00"}).encode())
    levels.learn(json.dumps({"identity": ["topic:a"], "action_class": "job.support",
                             "level": 3}).encode())
    levels.learn(json.dumps({"identity": "topic:a", "action_class": "job.support", "level": 2,
                             "updated_at": "2026-11-02T00:00:00"}).encode())  # no zone: UTC
    assert levels.level_of("topic:a", "job.support") == 2
