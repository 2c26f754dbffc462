"""Registry-framed records through the worker's decode: JSON Schema and Avro payloads become the
same action result as the JSON record, and every record that cannot be decoded safely is
rejected with a reason naming the schema id (never a value), before anything is released."""

from __future__ import annotations

import io
import json
from typing import Any

import fastavro
import pytest

from policies.sections.limits import Limits
from streams.registry.schemas import RegistrySchema, UnknownSchema, parse_response
from streams.worker.codec import Decoded, RawRecord, Rejected, decode

RESULT = {"job_id": "job-1", "agent_id": "agent-a", "action": "job.support.lookup",
          "tenant": "acme", "output": {"note": "mail bob@example.org", "n": 3}}

ACTION_RESULT_AVRO = {
    "type": "record", "name": "ActionResult", "namespace": "agents",
    "fields": [
        {"name": "job_id", "type": "string"},
        {"name": "agent_id", "type": "string"},
        {"name": "action", "type": "string"},
        {"name": "tenant", "type": ["null", "string"], "default": None},
        {"name": "output", "type": {"type": "record", "name": "Output", "fields": [
            {"name": "note", "type": "string"}, {"name": "n", "type": "long"}]}},
    ]}


def registry_answer(schema: Any, schema_type: str | None = None, **more: Any) -> bytes:
    answer: dict[str, Any] = {"schema": json.dumps(schema)}
    if schema_type:
        answer["schemaType"] = schema_type
    return json.dumps({**answer, **more}).encode()


def framed(schema_id: int, payload: bytes) -> bytes:
    return b"\x00" + schema_id.to_bytes(4, "big") + payload


def avro_bytes(schema: Any, datum: Any) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), datum)
    return out.getvalue()


def raw(value: bytes, schema: RegistrySchema | UnknownSchema | None = None) -> RawRecord:
    return RawRecord("agent.actions", 0, 7, b"job-1", value, schema)


AVRO = parse_response(7, registry_answer(ACTION_RESULT_AVRO))
JSON_SCHEMA = parse_response(8, registry_answer({"type": "object"}, "JSON"))


def test_a_json_schema_payload_decodes_as_the_plain_json_record() -> None:
    text = json.dumps(RESULT).encode()
    plain = decode(raw(text))
    through_registry = decode(raw(framed(8, text), JSON_SCHEMA))
    assert isinstance(plain, Decoded) and isinstance(through_registry, Decoded)
    assert through_registry == plain


def test_an_avro_payload_decodes_to_the_same_action_result() -> None:
    decoded = decode(raw(framed(7, avro_bytes(ACTION_RESULT_AVRO, RESULT)), AVRO))
    assert isinstance(decoded, Decoded), decoded
    assert decoded == decode(raw(json.dumps(RESULT).encode()))


def test_avro_bytes_decimals_and_dates_have_a_json_form() -> None:
    schema = {"type": "record", "name": "R", "fields": [
        {"name": "job_id", "type": "string"}, {"name": "agent_id", "type": "string"},
        {"name": "action", "type": "string"},
        {"name": "output", "type": {"type": "record", "name": "O", "fields": [
            {"name": "text", "type": "bytes"}, {"name": "blob", "type": "bytes"},
            {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal",
                                        "precision": 9, "scale": 2}},
            {"name": "day", "type": {"type": "int", "logicalType": "date"}}]}}]}
    import datetime
    import decimal
    datum = {**{k: RESULT[k] for k in ("job_id", "agent_id", "action")},
             "output": {"text": b"ssn 219-09-9999", "blob": b"\xff\x00\xfe",
                        "amount": decimal.Decimal("12.50"), "day": datetime.date(2026, 11, 27)}}
    decoded = decode(raw(framed(9, avro_bytes(schema, datum)),
                         parse_response(9, registry_answer(schema))))
    assert isinstance(decoded, Decoded), decoded
    assert decoded.result.output == {"text": "ssn 219-09-9999", "blob": "/wD+",
                                     "amount": "12.50", "day": "2026-11-27"}


@pytest.mark.parametrize(("value", "schema", "error", "says"), [
    (framed(7, b"{}"), None, "no_schema_registry", "(schema id 7) and no registry is configured"),
    (framed(41, b"{}"), UnknownSchema(41), "unknown_schema", "schema id 41 is not known"),
    (b"\x00\x00\x07", None, "not_json", "fewer than the 5-byte header"),
    (framed(7, avro_bytes(ACTION_RESULT_AVRO, RESULT)[:-3]), AVRO, "not_avro",
     "does not decode with schema id 7"),
    (framed(7, avro_bytes(ACTION_RESULT_AVRO, RESULT) + b"\x02"), AVRO, "not_avro",
     "1 bytes are left after the record of schema id 7"),
    (framed(8, b"{not json"), JSON_SCHEMA, "not_json", "not JSON"),
])
def test_what_cannot_be_decoded_is_rejected_with_a_reason(
        value: bytes, schema: RegistrySchema | UnknownSchema | None, error: str,
        says: str) -> None:
    rejected = decode(raw(value, schema))
    assert isinstance(rejected, Rejected)
    assert rejected.error == error and says in rejected.reason


@pytest.mark.parametrize(("answer", "says"), [
    (registry_answer("syntax = 'proto3';", "PROTOBUF"), "PROTOBUF payloads are not decoded"),
    (registry_answer(ACTION_RESULT_AVRO, references=[{"name": "x", "subject": "s",
                                                      "version": 1}]), "references"),
    (registry_answer({"type": "record", "name": "Node", "fields": [
        {"name": "next", "type": ["null", "Node"]}]}), "recursive"),
    (registry_answer({"type": "record", "name": "R", "fields": [
        {"name": "many", "type": {"type": "array", "items": "null"}}]}),
     "array of items that take no bytes"),
    (registry_answer({"type": "record", "name": "R", "fields": [{"name": "x"}]}),
     "not a valid Avro schema"),
    (b'{"unexpected": true}', "not a schema"),
])
def test_schemas_that_cannot_be_decoded_safely_reject_their_records(answer: bytes,
                                                                     says: str) -> None:
    schema = parse_response(5, answer)
    assert schema.unusable is not None and says in schema.unusable
    rejected = decode(raw(framed(5, b"\x02\x02"), schema))
    assert isinstance(rejected, Rejected) and rejected.error == "unsupported_schema"
    assert rejected.reason.startswith("schema id 5 (")


def test_an_avro_schema_nested_deeper_than_the_policy_allows_is_not_decoded() -> None:
    inner: Any = "string"
    for level in range(6):
        inner = {"type": "record", "name": f"L{level}", "fields": [{"name": "x", "type": inner}]}
    schema = parse_response(6, registry_answer(inner))
    assert schema.avro_depth == 6
    rejected = decode(raw(framed(6, b"\x00"), schema), Limits(max_depth=5))
    assert isinstance(rejected, Rejected) and rejected.error == "too_deep"


def test_the_raw_size_limit_applies_before_anything_is_decoded() -> None:
    value = framed(7, b"\x00" * 2000)
    rejected = decode(raw(value, AVRO), Limits(max_record_bytes=1024, max_payload_bytes=1024))
    assert isinstance(rejected, Rejected) and rejected.error == "record_too_large"


def test_no_value_of_the_record_is_quoted_in_a_reason() -> None:
    secret = "AKIAABCDEFGHIJKLMNOP"
    schema = {"type": "record", "name": "R", "fields": [{"name": "job_id", "type": "string"}]}
    payload = avro_bytes(schema, {"job_id": secret})
    rejected = decode(raw(framed(3, payload + b"\x00"), parse_response(3, registry_answer(schema))))
    assert isinstance(rejected, Rejected) and secret not in rejected.reason
