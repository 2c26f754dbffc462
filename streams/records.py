"""Records Afterguard writes besides the safety decision: audit records and dead letters."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field

from policies.decision import Decision, Redaction
from policies.decision import SourceRef as SourceRef  # noqa: PLC0414 - re-exported for streams/
from policies.omission import Omission
from sampling.autonomy.state import LevelChange
from sampling.record import SamplingRecord
from streams.deadletter.sealing import SealedBytes

SCHEMA_VERSION = 2  # 2: typed payload and hash chain


class FindingSummary(BaseModel):
    """What was found at one path, without the value: entity, count and keyed hashes."""

    model_config = ConfigDict(frozen=True)

    entity: str
    path: str
    count: int
    detector: str
    rule_id: str
    decision: Decision
    value_hashes: tuple[str, ...]


EventType = Literal["decision", "verdict", "escalation", "autonomy_change"]


class DecisionPayload(BaseModel):
    """What an automated decision was and why (event_type "decision")."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["decision"] = "decision"
    decision: Decision
    rule_ids: tuple[str, ...]
    reasons: tuple[str, ...]
    redactions: tuple[Redaction, ...]
    findings: tuple[FindingSummary, ...]
    # Set when a list above is cut short to fit the audit topic (policies/omission.py).
    redactions_omitted: Omission | None = None
    findings_omitted: Omission | None = None


class VerdictPayload(BaseModel):
    """A verdict on a review item (event_type "verdict"); the comment and any modified output
    stay on the verdicts topic: the audit trail carries only their keyed hash."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["verdict"] = "verdict"
    verdict_id: str
    item_id: str
    verdict: Literal["approve", "reject", "modify", "release_raw"]
    severity: Literal["none", "policy_violation", "safety_incident"]
    automatic: bool
    second_review_of: str | None
    reviewer_group: str
    decision: Decision
    rule_ids: tuple[str, ...]
    enqueued_at: datetime
    claimed_at: datetime | None
    modified_output_hash: str | None = None
    released: bool = False


class EscalationPayload(BaseModel):
    """A review item moved to another reviewer group (event_type "escalation")."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["escalation"] = "escalation"
    item_id: str
    from_group: str
    to_group: str
    reason: Literal["age", "timeout", "reviewer"]  # reviewer: `approver_id` moved it
    waited_s: float
    released_claim_of: str | None = None
    comment_hash: str | None = None  # a reviewer's reason, as a keyed hash (never the text)


class AutonomyPayload(LevelChange):
    """An agent's autonomy level changed (event_type "autonomy_change"): a promotion a person
    signed off (`approver_id`), a manual lowering, or an automatic demotion, with the evidence
    it rests on. Written by the autonomy scorer into its own audit topic's chain."""

    kind: Literal["autonomy_change"] = "autonomy_change"


# The union is discriminated by `kind` (which equals the record's event_type).
AuditPayload = Annotated[DecisionPayload | VerdictPayload | EscalationPayload | AutonomyPayload,
                         Field(discriminator="kind")]


class ChainLink(BaseModel):
    """The record's place in its audit partition's hash chain; `hash` is sha256 over the
    record's canonical JSON without `chain.hash` (see streams/audit/chain.py)."""

    model_config = ConfigDict(frozen=True)

    partition: int
    seq: int
    prev_hash: str
    hash: str


class AuditRecord(BaseModel):
    """One record per decision (later: verdict, escalation, autonomy change) on the audit
    topic. The evidence fields are checked by streams/audit/evidence.py before it is written;
    `chain` is set when the record is sealed into its partition's chain."""

    model_config = ConfigDict(frozen=True)

    event_id: str
    event_type: EventType
    schema_version: int = SCHEMA_VERSION
    job_id: str
    agent_id: str
    action: str
    tenant: str | None
    trace_id: str | None
    policy_snapshot: str
    job_hash: str
    decision_ts: datetime
    decider: str
    approver_id: str | None = None
    hash_key_id: str
    source: SourceRef | None
    payload: AuditPayload
    # Why the result was or was not selected for human review (decisions only).
    sampling: SamplingRecord | None = None
    chain: ChainLink | None = None


class SealedAuditRecord(AuditRecord):
    """An audit record as it is on the audit topic: always chained."""

    chain: ChainLink


class DeadLetter(BaseModel):
    """An input record that could not be processed, with a readable reason and its bytes sealed
    under the dead-letter key (streams/deadletter/sealing.py); never in the clear."""

    model_config = ConfigDict(frozen=True)

    error: Literal["not_json", "not_an_object", "invalid_record", "missing_value",
                   "record_too_large", "too_deep", "number_too_large", "too_many_values",
                   "evidence_contract", "processing_error", "bad_signature",
                   "sensitive_metadata",
                   # registry-framed input (docs/schema-registry.md)
                   "no_schema_registry", "unknown_schema", "unsupported_schema", "not_avro"]
    reason: str
    # None for an audit record a service (review queue, autonomy scorer) made without an input
    source: SourceRef | None
    # Plaintext bytes: only the key of an audit record rejected by the evidence contract (a
    # job_id); input bytes are sealed below, and letters written before sealing have them here.
    key_b64: str | None = None
    value_b64: str | None = None
    received_at: datetime
    worker_id: str
    # The input record's key and value, sealed (AES-256-GCM; the key id names the key); both
    # None when no dead-letter key is configured: then nothing readable is kept.
    key_sealed: SealedBytes | None = None
    value_sealed: SealedBytes | None = None
    value_bytes: int | None = None  # the input value's length
    # An audit record that failed the evidence contract (it carries no raw values).
    rejected_record: dict[str, Any] | None = None


def b64(data: bytes | None) -> str | None:
    """Bytes as a dead letter keeps them (`key_b64`, `value_b64`)."""
    return None if data is None else base64.b64encode(data).decode()


def to_json_bytes(record: BaseModel | dict[str, Any]) -> bytes:
    """A record as `model_dump_json` writes it. Records the code built itself (validated when
    they were made) are written by orjson from their fields, about four times faster: pydantic
    and orjson write strings, integers, floats, booleans, null, UTC datetimes, lists, tuples and
    str enums byte for byte alike. Anything else orjson refuses, or a model whose JSON is not
    its fields (`model_fields`), takes `model_dump_json`. tests/unit/streams/test_record_json.py
    compares the two on generated records and checks the models' fields keep to those types."""
    if isinstance(record, BaseModel):
        try:
            return orjson.dumps(record, default=model_fields, option=orjson.OPT_UTC_Z)
        except orjson.JSONEncodeError:  # an integer past 64 bits, a lone surrogate, a set, ...
            return record.model_dump_json().encode()
    import json

    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def fields_json(fields: dict[str, Any], model: type[BaseModel]) -> bytes:
    """What `to_json_bytes(model(**fields))` writes, without building the model: `fields` are
    the model's, in its field order (defaults included), as values the code itself made and
    checked (nested records as models or as dicts of their fields). What orjson refuses takes
    the model's path. tests/unit/worker/test_result_records.py compares the two."""
    try:
        return orjson.dumps(fields, default=model_fields, option=orjson.OPT_UTC_Z)
    except orjson.JSONEncodeError:  # an integer past 64 bits, a lone surrogate, ...
        return to_json_bytes(model.model_validate(fields))


def model_fields(value: Any) -> dict[str, Any]:
    """A model's fields in their order, for orjson; TypeError (orjson: the exact path) for
    anything else and for a model written otherwise than its fields."""
    if isinstance(value, BaseModel) and not value.__pydantic_extra__ and _plain(type(value)):
        return value.__dict__
    raise TypeError(f"{type(value).__name__} is written by pydantic")


def _plain(model: type[BaseModel]) -> bool:
    """The model's JSON is its fields by name: no alias, excluded field, serializer or
    computed field (remembered per class)."""
    plain = _PLAIN.get(model)
    if plain is None:
        decorators = model.__pydantic_decorators__
        plain = _PLAIN[model] = (
            not decorators.field_serializers and not decorators.model_serializers
            and not model.model_computed_fields
            and model.model_config.get("alias_generator") is None
            and not model.model_config.get("serialize_by_alias")
            and all(info.serialization_alias is None and info.alias is None
                    and not info.exclude for info in model.model_fields.values()))
    return plain


_PLAIN: dict[type[BaseModel], bool] = {}
