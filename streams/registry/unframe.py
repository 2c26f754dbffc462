"""A registry-framed value to the JSON text of its document, or the reason it cannot be.

Pure and synchronous (it runs where the worker decides records): the schema was fetched before
(streams/registry/resolver.py) and is attached to the record. A JSON Schema payload is the JSON
text itself; an Avro payload is decoded with its writer's schema and written as JSON (bytes as
UTF-8 text, or base64 when they are not; decimals, dates, times and UUIDs as strings). The
JSON text then meets every check a plain JSON record meets.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import io
import json
import uuid
from dataclasses import dataclass
from typing import Any

from fastavro import schemaless_reader

from streams.registry.framing import BadFrame, frame_of
from streams.registry.schemas import RegistrySchema, UnknownSchema


@dataclass(frozen=True)
class Unframed:
    """The document's JSON text, or an error name and a reason that quotes no value."""

    text: bytes | None
    error: str = ""
    reason: str = ""


def _refused(error: str, reason: str) -> Unframed:
    return Unframed(None, error, reason)


def unframe(value: bytes, schema: RegistrySchema | UnknownSchema | None, *, max_depth: int,
            max_bytes: int) -> Unframed:
    """`value` starts with the magic byte; `schema` is what the registry said of its id
    (None: no registry is configured)."""
    try:
        frame = frame_of(value)
    except BadFrame as exc:
        return _refused("not_json", str(exc))
    sid = frame.schema_id
    if schema is None:
        return _refused("no_schema_registry", f"the value is framed for a schema registry "
                        f"(schema id {sid}) and no registry is configured "
                        "(AFTERGUARD_SCHEMA_REGISTRY_URL)")
    if isinstance(schema, UnknownSchema):
        return _refused("unknown_schema", f"schema id {sid} is not known to the schema registry")
    if schema.unusable is not None:
        return _refused("unsupported_schema", f"schema id {sid} ({schema.schema_type}): "
                        f"{schema.unusable}")
    if schema.avro is None:  # JSON Schema: the payload is the document's JSON text
        return Unframed(frame.payload)
    if schema.avro_depth > max_depth:
        return _refused("too_deep", f"schema id {sid} nests records {schema.avro_depth} levels "
                        f"deep; the policy's limits.max_depth is {max_depth}")
    return _from_avro(frame.payload, schema, max_bytes)


def _from_avro(payload: bytes, schema: RegistrySchema, max_bytes: int) -> Unframed:
    sid = schema.schema_id
    stream = io.BytesIO(payload)
    try:
        datum = schemaless_reader(stream, schema.avro, None)
    except (EOFError, ValueError, TypeError, KeyError, IndexError, OverflowError,
            UnicodeDecodeError, MemoryError, StopIteration) as exc:
        return _refused("not_avro", f"the payload does not decode with schema id {sid} "
                        f"({type(exc).__name__})")
    left = len(payload) - stream.tell()
    if left:
        return _refused("not_avro", f"{left} bytes are left after the record of schema id "
                        f"{sid}: the payload was not written with this schema")
    try:
        text = json.dumps(datum, default=_json_value, ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode()
    except (ValueError, TypeError, RecursionError) as exc:
        return _refused("not_json", f"the record of schema id {sid} has no JSON form "
                        f"({type(exc).__name__}: NaN, Infinity or an unknown value)")
    if len(text) > max_bytes:
        return _refused("record_too_large", f"the record of schema id {sid} is {len(text)} bytes "
                        f"as JSON; the policy's limits.max_record_bytes is {max_bytes}")
    return Unframed(text)


def _json_value(value: Any) -> Any:
    """JSON for the Avro values that have no JSON type of their own."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(value).decode()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(type(value).__name__)
