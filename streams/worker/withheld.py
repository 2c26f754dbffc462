"""A result whose released decision does not fit its topic is held instead (fail closed).

Redaction can make an output larger than the agent's (a two-letter name becomes
`[REDACTED:PERSON]`), and an output can be as large as the input topic takes while the released
topic takes less. Such a decision cannot be released whole, and a part of it must not be: the
result is quarantined with the reason `OUTPUT_TOO_LARGE`, its output held as a reference to its
input record (which holds the bytes), its findings and redactions recorded as for any decision,
and it goes to review as every quarantined result does (streams/worker/batch.py decides it so).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from policies import Decision, Outcome
from streams.worker.codec import RawRecord

OUTPUT_TOO_LARGE = "output_too_large"  # the reason code in the decision and audit record


def output_reference(raw: RawRecord, job_hash: Any, size: int) -> dict[str, Any]:
    """What a held result carries in place of an output too large to copy."""
    return {
        "withheld": "the output is larger than this topic's records may be; it is the output "
                    "of the input record at `source`, whose canonical hash is `job_hash`",
        "source": {"topic": raw.topic, "partition": raw.partition, "offset": raw.offset},
        "job_hash": job_hash,
        "record_bytes": size,
    }


def withheld(outcome: Outcome, reference: dict[str, Any], reason: str) -> Outcome:
    """`outcome` held for review: QUARANTINE, the output replaced by `reference`, `reason`
    added; rules, redactions and findings kept (the audit record says what was found)."""
    reasons = outcome.reasons if reason in outcome.reasons else (*outcome.reasons, reason)
    return replace(outcome, decision=Decision.QUARANTINE, output=reference, reasons=reasons)
