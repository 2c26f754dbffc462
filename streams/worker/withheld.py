"""A result whose released decision does not fit its topic is held instead (fail closed).

Redaction can make an output larger than the agent's (a two-letter name becomes
`[REDACTED:PERSON]`), and an output can be as large as the input topic takes while the released
topic takes less. Such a decision cannot be released whole, and a part of it must not be: the
result is quarantined with the reason `OUTPUT_TOO_LARGE`, its output held as a reference to its
input record (which holds the bytes), its findings and redactions recorded as for any decision,
and it goes to review as every quarantined result does (streams/worker/batch.py decides it so).

The reference goes in the record's `output_withheld`, a field only the worker writes, and
`output` is null: an agent's output can have any shape, a reference's too, so no reader may
take an `output` for a reference (the review service trusts `output_withheld` alone).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from policies import Decision, Outcome
from policies.decision import SourceRef, WithheldOutput
from streams.worker.codec import RawRecord

OUTPUT_TOO_LARGE = "output_too_large"  # the reason code in the decision and audit record


def output_reference(raw: RawRecord, job_hash: Any, size: int) -> WithheldOutput:
    """What a held result carries (as `output_withheld`) in place of an output too large to
    copy."""
    return WithheldOutput(
        note="the output is larger than this topic's records may be; it is the output of the "
             "input record at `source`, whose canonical hash is `job_hash`",
        source=SourceRef(topic=raw.topic, partition=raw.partition, offset=raw.offset),
        job_hash=str(job_hash), record_bytes=size)


def withheld(outcome: Outcome, reference: WithheldOutput, reason: str) -> Outcome:
    """`outcome` held for review: QUARANTINE, no output but `reference` to it, `reason`
    added; rules, redactions and findings kept (the audit record says what was found)."""
    reasons = outcome.reasons if reason in outcome.reasons else (*outcome.reasons, reason)
    return replace(outcome, decision=Decision.QUARANTINE, output=None,
                   output_withheld=reference, reasons=reasons)
