"""What the scorer's second stage consumes, from its repartition topic keyed by pair.

The first stage turns audit decisions and verdicts into these events keyed by (agent, action
class), so that one partition (and one scorer instance) owns each pair's state; the CLI sends
sign-offs to the same topic, so they are ordered with the pair's evidence.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from policies.sections.autonomy import ActionClassRule
from sampling.autonomy import SignOff, action_class
from sampling.verdict import Verdict

log = logging.getLogger(__name__)
SEPARATOR = "\x1f"


def pair_key(agent_id: str, action_class_: str) -> str:
    return f"{agent_id}{SEPARATOR}{action_class_}"


class DecisionsSeen(BaseModel):
    """Results of one pair the worker decided (one event per pair per batch of audit records)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["decisions"] = "decisions"
    agent_id: str
    action_class: str
    decisions: int
    quarantined: int
    selected: int


class VerdictSeen(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["verdict"] = "verdict"
    verdict: Verdict


ScorerEvent = Annotated[DecisionsSeen | VerdictSeen | SignOff, Field(discriminator="kind")]
EVENT = TypeAdapter(ScorerEvent)


def pair_of(event: DecisionsSeen | VerdictSeen | SignOff,
            classes: Sequence[ActionClassRule] = ()) -> str:
    """The (agent, action class) key the scorer keeps state under; `classes`: the policy's
    action class mapping."""
    if isinstance(event, VerdictSeen):
        return pair_key(event.verdict.agent_id, action_class(event.verdict.action, classes))
    return pair_key(event.agent_id, event.action_class)


def from_audit(values: Iterable[bytes | None],
               classes: Sequence[ActionClassRule] = ()) -> list[DecisionsSeen]:
    """Decision records of a batch of audit records, counted per pair. Other event types and
    records that do not parse are skipped (verdicts are read from the verdicts topic)."""
    counts: dict[tuple[str, str], list[int]] = {}
    for value in values:
        try:
            record = json.loads(value or b"")
            if record.get("event_type") != "decision":
                continue
            pair = (record["agent_id"], action_class(record["action"], classes))
            quarantined = record["payload"]["decision"] == "QUARANTINE"
            selected = bool((record.get("sampling") or {}).get("selected"))
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("skipped an audit record that is not a decision record")
            continue
        total = counts.setdefault(pair, [0, 0, 0])
        total[0], total[1], total[2] = total[0] + 1, total[1] + quarantined, total[2] + selected
    return [DecisionsSeen(agent_id=agent, action_class=cls, decisions=n, quarantined=q,
                          selected=s) for (agent, cls), (n, q, s) in counts.items()]


def from_verdict(value: bytes | None) -> VerdictSeen | None:
    try:
        return VerdictSeen(verdict=Verdict.model_validate_json(value or b""))
    except ValidationError as exc:
        log.warning("skipped a verdicts record that is not a verdict (%d problem(s))",
                    exc.error_count())
        return None
