"""One scorer event in, the pair's new state and what to produce out. Pure and synchronous: the
faust agent reads the state from its table, calls `score`, and writes back and sends."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from policies import LoadedPolicy
from policies.sections.autonomy import AutonomyPolicy
from sampling.autonomy import (
    AutonomyState,
    LevelChange,
    SignOff,
    Step,
    apply_signoff,
    initial_state,
    observe_decisions,
    observe_verdict,
)
from streams.audit.canonical import canonical_bytes
from streams.autonomy.events import DecisionsSeen, VerdictSeen
from streams.records import AuditRecord, AutonomyPayload, SourceRef

NO_KEYED_HASHES = "none"  # autonomy records hold no keyed hashes


@dataclass(frozen=True)
class Scored:
    state: AutonomyState
    audit: AuditRecord | None  # an autonomy_change record when the level changed


def autonomy_section(policy: LoadedPolicy) -> AutonomyPolicy:
    section = policy.policy.autonomy
    if section is None:
        raise ValueError(f"{policy.source} has no autonomy section; the scorer needs one")
    return section


def score(state: AutonomyState | None, event: DecisionsSeen | VerdictSeen | SignOff,
          policy: LoadedPolicy, decider: str, source: SourceRef, now: datetime) -> Scored:
    section, snapshot = autonomy_section(policy), policy.snapshot
    if state is None:
        state = initial_state(event.identity, event.action_class, section, snapshot, now)
    if isinstance(event, DecisionsSeen):
        state = state.labelled(event.agent_id)
    elif isinstance(event, VerdictSeen):
        state = state.labelled(event.verdict.agent_id)
    step: Step
    if isinstance(event, DecisionsSeen):
        step = observe_decisions(state, event.decisions, event.quarantined, event.selected,
                                 section, snapshot, now)
    elif isinstance(event, VerdictSeen):
        step = observe_verdict(state, event.verdict, section, snapshot, now)
    else:
        step = apply_signoff(state, event, section, snapshot, now)
    audit = None if step.change is None else change_record(step.change, snapshot, decider, source)
    return Scored(step.state, audit)


def change_record(change: LevelChange, snapshot: str, decider: str,
                  source: SourceRef) -> AuditRecord:
    """The audit record of a level change. It concerns no job: `job_id` names the pair, its
    `agent_id` is the verified identity the level is kept for, and `job_hash` is the sha256
    of the change (its evidence) in canonical JSON."""
    digest = hashlib.sha256(canonical_bytes(change.model_dump(mode="json"))).hexdigest()
    return AuditRecord(
        event_id=change.change_id, event_type="autonomy_change",
        job_id=f"autonomy:{change.identity}:{change.action_class}", agent_id=change.identity,
        action=change.action_class, tenant=None, trace_id=None, policy_snapshot=snapshot,
        job_hash=f"sha256:{digest}", decision_ts=change.at, decider=decider,
        approver_id=change.approver_id, hash_key_id=NO_KEYED_HASHES, source=source,
        payload=AutonomyPayload(**change.model_dump()))
