"""Quarantined results are held until a final approving verdict releases them (the modified
output when modified); a rejection is final. Pure: the verdict and the held decision may
arrive in either order."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from policies.decision import SafetyDecision
from sampling.verdict import Verdict, VerdictKind


class HeldResult(BaseModel):
    """A quarantined result as the review service holds it, keyed by job id."""

    model_config = ConfigDict(frozen=True)

    job_id: str
    decision: SafetyDecision | None = None  # dropped once released or rejected
    state: Literal["held", "approved", "released", "rejected"] = "held"
    verdict: Verdict | None = None  # the final verdict, once given


def released_record(decision: SafetyDecision, verdict: Verdict) -> SafetyDecision:
    output: Any = (verdict.modified_output if verdict.verdict is VerdictKind.MODIFY
                   else decision.output)
    note = (f"released after review: verdict {verdict.verdict_id} "
            f"({verdict.verdict.value} by {verdict.approver_id})")
    return decision.model_copy(update={"output": output, "reasons": (*decision.reasons, note)})


def on_hold(held: HeldResult | None, decision: SafetyDecision
            ) -> tuple[HeldResult, SafetyDecision | None]:
    """A quarantine record arrived: hold it, or release it when the approval came first."""
    if held is None or held.state == "held":
        return HeldResult(job_id=decision.job_id, decision=decision), None
    if held.state == "approved" and held.verdict is not None:
        return (held.model_copy(update={"state": "released"}),
                released_record(decision, held.verdict))
    return held, None  # already released or rejected: a redelivery changes nothing


def on_final_verdict(held: HeldResult | None, verdict: Verdict
                     ) -> tuple[HeldResult, SafetyDecision | None]:
    """The last verdict on a quarantined result: release it (approve, modify) or not (reject)."""
    if held is not None and held.state in ("released", "rejected"):
        return held, None
    base = held or HeldResult(job_id=verdict.job_id)
    if verdict.verdict is VerdictKind.REJECT:
        return base.model_copy(update={"state": "rejected", "decision": None,
                                       "verdict": verdict}), None
    if base.decision is None:  # the quarantine record has not arrived yet
        return base.model_copy(update={"state": "approved", "verdict": verdict}), None
    return (base.model_copy(update={"state": "released", "decision": None, "verdict": verdict}),
            released_record(base.decision, verdict))
