"""The records of one decided result, built as plain values: its decision (released or
quarantine topic) and its audit record (sealed after the others: `AuditChain.seal_decision`);
its review item is built beside them (streams/worker/review_stage.py).

The pydantic models stay the records' schema (`SafetyDecision`, `AuditRecord` with its
`DecisionPayload`, `ReviewItem`): what each field is, and in which order it is written. Every
value that goes in was checked already (the result when it was decoded; the rest the pipeline
made itself), so building the models validated it a second time for nothing (3-5 µs a model;
step 3 of docs/benchmarks.md found `model_construct` slower still). The fields go into a dict
in their model's order instead, and `fields_json` writes the bytes `to_json_bytes` writes for
the model. The records nested in them are their fields too (the finding summaries and
references as dicts, the redactions and the review item's sampling record as their frozen
models' own `__dict__`): orjson writes a dict itself, where a model costs it a call back into
Python. tests/unit/worker/test_result_records.py checks that each dict, at any depth, holds
its model's fields in order and writes its model's bytes, and
tests/unit/worker/test_records_unchanged.py that the worker writes the bytes it wrote before.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from detectors.walker import leaf_texts
from policies import ActionResult, Decision, HashKey, Outcome
from policies.decision import Located, Redaction
from policies.omission import Omission
from sampling import SamplingRecord
from streams.records import SCHEMA_VERSION


def source_fields(place: Located) -> dict[str, Any]:
    """`SourceRef`'s fields."""
    return {"topic": place.topic, "partition": place.partition, "offset": place.offset}


def event_id(event_type: str, place: Located) -> str:
    """Deterministic, so a record reprocessed after a crash keeps its id (sinks dedupe by it)."""
    digest = hashlib.sha256(f"{event_type}|{place.topic}|{place.partition}|{place.offset}"
                            .encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def redaction_fields(listed: tuple[tuple[Redaction, ...], Omission | None]
                     ) -> tuple[tuple[dict[str, Any], ...], Omission | None]:
    """The redactions as the record bounds cut them (`listed`), each as its fields: a frozen
    `Redaction`'s own `__dict__` (its fields in order, nothing else: never changed here), so
    orjson writes the three records that list them without calling back for each model."""
    redactions, omitted = listed
    return tuple([r.__dict__ for r in redactions]), omitted


def decision_fields(result: ActionResult, outcome: Outcome,
                    redactions: tuple[Redaction, ...] | tuple[dict[str, Any], ...],
                    redactions_omitted: Omission | None, policy_snapshot: str, job_hash: str,
                    now: datetime, source: dict[str, Any]) -> dict[str, Any]:
    """`SafetyDecision`'s fields."""
    claimed = result.__dict__  # a model's fields (each read as an attribute costs pydantic's hook)
    return {
        "job_id": claimed["job_id"], "agent_id": claimed["agent_id"],
        "action": claimed["action"], "tenant": claimed["tenant"],
        "trace_id": claimed["trace_id"], "decision": outcome.decision,
        "output": outcome.output, "output_withheld": outcome.output_withheld,
        "redactions": redactions, "redactions_omitted": redactions_omitted,
        "rule_ids": outcome.rule_ids, "reasons": outcome.reasons,
        "policy_snapshot": policy_snapshot, "job_hash": job_hash, "decided_at": now,
        "source": source,
    }


def audit_fields(result: ActionResult, outcome: Outcome, policy_snapshot: str, job_hash: str,
                 now: datetime, decider: str, hash_key_id: str, place: Located,
                 source: dict[str, Any], sampled: SamplingRecord | None,
                 listed: tuple[tuple[Redaction, ...] | tuple[dict[str, Any], ...], Omission | None],
                 found: tuple[tuple[dict[str, Any], ...], Omission | None]) -> dict[str, Any]:
    """`AuditRecord`'s fields (its payload `DecisionPayload`'s): `listed` and `found` are the
    redactions and finding summaries (`summaries`) as the record bounds cut them."""
    (redactions, redactions_omitted), (findings, findings_omitted) = listed, found
    claimed = result.__dict__  # as in decision_fields
    return {
        "event_id": event_id("decision", place), "event_type": "decision",
        "schema_version": SCHEMA_VERSION, "job_id": claimed["job_id"],
        "agent_id": claimed["agent_id"], "action": claimed["action"],
        "tenant": claimed["tenant"], "trace_id": claimed["trace_id"],
        "policy_snapshot": policy_snapshot, "job_hash": job_hash, "decision_ts": now,
        "decider": decider, "approver_id": None, "hash_key_id": hash_key_id, "source": source,
        "payload": {
            "kind": "decision", "decision": outcome.decision, "rule_ids": outcome.rule_ids,
            "reasons": outcome.reasons, "redactions": redactions, "findings": findings,
            "redactions_omitted": redactions_omitted, "findings_omitted": findings_omitted,
        },
        "sampling": sampled, "chain": None,
    }


def summaries(output: Any, outcome: Outcome, key: HashKey) -> tuple[dict[str, Any], ...]:
    """What was found where, by entity, path, detector, rule and decision, with the keyed
    hash of each value (never the value); `output`: the one the findings' spans point into.
    Each summary is `FindingSummary`'s fields in its order, as plain values (the entity, path
    and detector of a validated `Finding`, a rule id of the policy, a `Decision`, hash tokens):
    validating them again as models cost more than the rest of the summary."""
    ruled = outcome.ruled
    if not ruled:
        return ()
    texts = leaf_texts(output)  # what the findings' spans were taken from
    grouped: dict[tuple[str, str, str, str, Decision], list[str]] = {}
    for each in ruled:
        f = each.finding.__dict__  # a validated `Finding`'s fields, read without pydantic's hook
        path = f["path"]
        value = "" if f["on_key"] else texts.get(path, "")[f["start"]:f["end"]]
        group = (f["entity"], path, f["detector"], each.rule_id, each.decision)
        hashes = grouped.get(group)
        if hashes is None:
            grouped[group] = [key.token(value)]
        else:
            hashes.append(key.token(value))
    return tuple(
        {"entity": entity, "path": path, "count": len(hashes), "detector": detector,
         "rule_id": rule_id, "decision": decision, "value_hashes": tuple(hashes)}
        for (entity, path, detector, rule_id, decision), hashes in grouped.items()
    )
