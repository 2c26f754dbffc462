"""What the scorer's second stage consumes, from its repartition topic keyed by pair.

The first stage turns audit decisions and verdicts into these events keyed by (verified
identity, action class), so that one partition (and one scorer instance) owns each pair's
state; the CLI sends sign-offs to the same topic, so they are ordered with the pair's evidence.

The identity comes from the result's source topic (written by the worker into its audit
record, copied by the review service into the verdict) and the policy's `trust.identities`
(policies.claims.verified_identity): never from the `agent_id` the result claimed, which is kept
beside it as a label. A decision or verdict without a source names no verified identity and is
evidence for nobody.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from policies.claims import verified_identity
from policies.sections.autonomy import ActionClassRule
from policies.sections.trust import TrustPolicy
from sampling.autonomy import SignOff, action_class
from sampling.verdict import Verdict

log = logging.getLogger(__name__)
SEPARATOR = "\x1f"


def pair_key(identity: str, action_class_: str) -> str:
    return f"{identity}{SEPARATOR}{action_class_}"


class DecisionsSeen(BaseModel):
    """Results of one pair the worker decided (one event per pair per batch of audit records).
    `agent_id`: the last agent id they claimed (a label)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["decisions"] = "decisions"
    identity: str = Field(min_length=1)
    action_class: str
    agent_id: str
    decisions: int
    quarantined: int
    selected: int


class VerdictSeen(BaseModel):
    """A verdict with the pair it is evidence for, worked out when it was read."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["verdict"] = "verdict"
    identity: str = Field(min_length=1)
    action_class: str
    verdict: Verdict


ScorerEvent = Annotated[DecisionsSeen | VerdictSeen | SignOff, Field(discriminator="kind")]
EVENT = TypeAdapter(ScorerEvent)


def pair_of(event: DecisionsSeen | VerdictSeen | SignOff) -> str:
    """The (verified identity, action class) key the scorer keeps state under."""
    return pair_key(event.identity, event.action_class)


def from_audit(values: Iterable[bytes | None], classes: Sequence[ActionClassRule] = (),
               trust: TrustPolicy | None = None) -> list[DecisionsSeen]:
    """Decision records of a batch of audit records, counted per pair (`classes`: the
    policy's action class mapping; `trust`: its trust section, whose identities name topics).
    Other event types, records that do not parse and records without a source topic are
    skipped (verdicts are read from the verdicts topic)."""
    counts: dict[tuple[str, str], list[int]] = {}
    labels: dict[tuple[str, str], str] = {}
    for value in values:
        try:
            record = json.loads(value or b"")
            if record.get("event_type") != "decision":
                continue
            topic = (record.get("source") or {}).get("topic")
            agent, action = record["agent_id"], record["action"]
            if not isinstance(topic, str) or not isinstance(agent, str):
                log.warning("skipped a decision record without a source topic: it names no "
                            "verified identity")
                continue
            pair = (verified_identity(trust, topic, agent, action),
                    action_class(action, classes))
            quarantined = record["payload"]["decision"] == "QUARANTINE"
            selected = bool((record.get("sampling") or {}).get("selected"))
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("skipped an audit record that is not a decision record")
            continue
        total = counts.setdefault(pair, [0, 0, 0])
        total[0], total[1], total[2] = total[0] + 1, total[1] + quarantined, total[2] + selected
        labels[pair] = agent
    return [DecisionsSeen(identity=identity, action_class=cls, agent_id=labels[(identity, cls)],
                          decisions=n, quarantined=q, selected=s)
            for (identity, cls), (n, q, s) in counts.items()]


def from_verdict(value: bytes | None, classes: Sequence[ActionClassRule] = (),
                 trust: TrustPolicy | None = None) -> VerdictSeen | None:
    """The verdict with its pair: the verified identity of the result it is about (its
    `source` topic) and the action's class. None for a record that is not a verdict, or a
    verdict without a source (evidence for nobody)."""
    try:
        verdict = Verdict.model_validate_json(value or b"")
    except ValidationError as exc:
        log.warning("skipped a verdicts record that is not a verdict (%d problem(s))",
                    exc.error_count())
        return None
    if verdict.source is None:
        log.warning("verdict %s names no source: it is evidence for no one (the identity is "
                    "the result's source topic, never its agent id)", verdict.verdict_id)
        return None
    identity = verified_identity(trust, verdict.source.topic, verdict.agent_id, verdict.action)
    return VerdictSeen(identity=identity, action_class=action_class(verdict.action, classes),
                       verdict=verdict)
