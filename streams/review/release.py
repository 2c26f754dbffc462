"""Quarantined results are held until a final verdict: an approval releases the policy's
redacted view of the held output (a modification the checked edit, `release_raw` the raw
output where the policy allows it); a rejection is final. Pure.

A held result is identified by its input record (source topic, partition, offset) and the
`job_hash` of its bytes, never by the agent-chosen `job_id`: a second result with the same
job_id is a different result, and a verdict releases only the result it names. A verdict that
would release needs the held result in hand (the service refuses it until the quarantine
record has arrived), so every release goes out in its verdict's transaction.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from policies.decision import SafetyDecision, SourceRef
from sampling.verdict import Verdict


class HeldResult(BaseModel):
    """A quarantined result as the review service holds it, keyed by `source.key`."""

    model_config = ConfigDict(frozen=True)

    source: SourceRef
    job_hash: str
    job_id: str
    decision: SafetyDecision | None = None  # dropped once released or rejected
    state: Literal["held", "released", "rejected"] = "held"
    verdict_id: str | None = None  # the final verdict, once given


class Mismatch(BaseModel):
    """A record and the held result at its identity disagree on the bytes: nothing moves."""

    model_config = ConfigDict(frozen=True)

    source: SourceRef
    held_hash: str
    other_hash: str


def released_record(decision: SafetyDecision, verdict: Verdict, output: Any) -> SafetyDecision:
    kind = verdict.verdict.value
    note = (f"released after review: verdict {verdict.verdict_id} "
            f"({kind} by {verdict.approver_id})")
    return decision.model_copy(update={"output": output, "output_withheld": None,
                                       "reasons": (*decision.reasons, note)})


def on_hold(held: HeldResult | None, decision: SafetyDecision, source: SourceRef
            ) -> HeldResult | Mismatch:
    """A quarantine record arrived: hold it (a redelivery, or one after a rejection, changes
    nothing; other bytes at a held identity are a mismatch and change nothing either)."""
    if held is not None and held.job_hash != decision.job_hash:
        return Mismatch(source=source, held_hash=held.job_hash, other_hash=decision.job_hash)
    if held is not None:
        return held
    return HeldResult(source=source, job_hash=decision.job_hash, job_id=decision.job_id,
                      decision=decision)


def closed_by(held: HeldResult | None, verdict: Verdict, source: SourceRef) -> HeldResult:
    """The held result after the final verdict on it (released or rejected)."""
    base = held or HeldResult(source=source, job_hash=verdict.job_hash, job_id=verdict.job_id)
    return base.model_copy(update={"state": "released" if verdict.verdict.releases
                                   else "rejected", "decision": None,
                                   "verdict_id": verdict.verdict_id})
