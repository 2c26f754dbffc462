"""The demo shows three redacted results in full: the most instructive ones of different
actions, whatever order the input partitions' results arrive in (the first three to arrive
were shown, and whether an SSN's redaction was among them depended on that order)."""

from __future__ import annotations

from typing import Any

from streams.demo import _examples


def redacted(action: str, job_id: str, entities: list[str]) -> dict[str, Any]:
    return {"action": action, "job_id": job_id, "decision": "REDACT",
            "redactions": [{"entity": e, "path": f"p.{e}", "action": "replace"}
                           for e in entities]}


def test_the_richest_redaction_of_each_action_is_shown_in_any_arrival_order() -> None:
    arrivals = [redacted("job.comms.send-email", "j1", ["EMAIL_ADDRESS"]),
                redacted("job.billing.process-refund", "j2", ["CREDIT_CARD"]),
                redacted("job.comms.send-email", "j3", ["EMAIL_ADDRESS"]),
                redacted("job.support.lookup-customer", "j4",
                         ["EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN", "FIELD"]),
                redacted("job.ops.export-report", "j5", ["PHONE_NUMBER"])]
    for order in (arrivals, arrivals[::-1], arrivals[2:] + arrivals[:2]):
        shown: list[dict[str, Any]] = []
        for body in order:
            shown = _examples([*shown, body])
        assert [b["job_id"] for b in shown][0] == "j4"
        assert len(shown) == 3 and len({b["action"] for b in shown}) == 3
