"""Decisions are values: the enum, a recorded redaction, and the safety decision record."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from policies.omission import Omission


class Decision(str, enum.Enum):
    ALLOW = "ALLOW"
    REDACT = "REDACT"
    QUARANTINE = "QUARANTINE"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @staticmethod
    def most_severe(decisions: list[Decision]) -> Decision:
        return max(decisions, key=lambda d: d.severity, default=Decision.ALLOW)


_SEVERITY = {Decision.ALLOW: 0, Decision.REDACT: 1, Decision.QUARANTINE: 2}


class Redaction(BaseModel):
    """One change made to the output: where, what kind of value, why, and how."""

    model_config = ConfigDict(frozen=True)

    path: str
    entity: str
    reason: str
    action: str
    rule_id: str


class SourceRef(BaseModel):
    """Where an input record came from: what identifies a result, since an agent chooses its
    `job_id` but not the topic, partition and offset its record was written to."""

    model_config = ConfigDict(frozen=True)

    topic: str
    partition: int
    offset: int

    @property
    def key(self) -> str:
        """One string naming the record (the review service keys held results by it)."""
        return f"{self.topic}/{self.partition}/{self.offset}"


class Located(Protocol):
    """Anything that names a record's place in the log: a `SourceRef`, or the consumed record
    itself (streams.worker.codec.RawRecord)."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...


def result_key(topic: str | None, job_id: str) -> bytes:
    """The Kafka key of every record about one result (released or quarantined decision,
    review item, audit record; a release after review too): `<source topic>/<job_id>`. An
    agent chooses its `job_id` but not the topic it may write (Kafka ACLs), so a result keyed
    so collides only with results of its own topic, never another identity's: a consumer that
    deduplicates or compacts by key cannot be made to drop another agent's result. A topic
    name holds no `/`, so the key splits at its first one. No topic (a file scanned offline):
    the job_id alone."""
    return job_id.encode() if topic is None else f"{topic}/{job_id}".encode()


def job_id_in_key(key: bytes | None) -> str:
    """The job_id of a key `result_key` made (the part after the source topic)."""
    text = (key or b"").decode(errors="replace")
    return text.split("/", 1)[1] if "/" in text else text


class WithheldOutput(BaseModel):
    """Written by the worker in place of an output it did not copy into a record (too large
    for the topic, or held as `output_too_large`): the output is the one of the input record
    at `source`, whose canonical hash is `job_hash`. A record's `output` is the agent's and
    can take any shape, this one included; only `output_withheld` says an output was withheld
    (the worker signs the records that carry it)."""

    model_config = ConfigDict(frozen=True)

    note: str
    source: SourceRef
    job_hash: str
    record_bytes: int


class SafetyDecision(BaseModel):
    """What Afterguard decided for one action result (released and quarantine topics)."""

    model_config = ConfigDict(frozen=True)

    job_id: str
    agent_id: str
    action: str
    tenant: str | None = None
    trace_id: str | None = None
    decision: Decision
    output: Any  # the agent's (redacted where REDACT); null when `output_withheld` is set
    # Set by the worker alone when the output is not in this record (see WithheldOutput).
    output_withheld: WithheldOutput | None = None
    redactions: tuple[Redaction, ...] = ()
    # Set when `redactions` is cut short to fit the topic (policies/omission.py): how many more
    # there were, by entity, action and path pattern.
    redactions_omitted: Omission | None = None
    rule_ids: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    policy_snapshot: str
    job_hash: str
    decided_at: datetime
    # The input record decided (None outside Kafka, e.g. `afterguard scan`). With `job_hash`
    # it is the result's identity: the review service holds and releases by it, never job_id.
    source: SourceRef | None = None
