"""A schema as the registry serves it (`GET /schemas/ids/{id}`), checked once when it is fetched.

Records of a schema that cannot be decoded safely are dead-lettered with the reason, never
decoded: Protobuf (not supported), schema references (not resolved), an Avro schema that is not
valid, that is recursive (a record nested in itself: the decoder's nesting would be bounded by
the record's bytes only), or that has arrays of items that take no bytes (a few bytes of input
could make the decoder produce millions of items). Every other Avro schema has a fixed deepest
nesting, checked against the policy's `limits.max_depth` before a record is decoded.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any

import fastavro
from fastavro.schema import SchemaParseException

MAX_SCHEMA_BYTES = 1024 * 1024

# Avro primitive -> the fewest bytes one value takes
_PRIMITIVE_BYTES = {"null": 0, "boolean": 1, "int": 1, "long": 1, "float": 4, "double": 8,
                    "bytes": 1, "string": 1}


class SchemaType(str, enum.Enum):
    AVRO = "AVRO"
    JSON = "JSON"
    PROTOBUF = "PROTOBUF"


@dataclass(frozen=True)
class RegistrySchema:
    """A schema the registry knows. `unusable` says why its records cannot be decoded."""

    schema_id: int
    schema_type: str
    avro: Any = None  # fastavro's parsed schema (AVRO, when usable)
    avro_depth: int = 0  # the deepest nesting of a decoded record, counted as JSON's
    unusable: str | None = None


@dataclass(frozen=True)
class UnknownSchema:
    """The registry answered that it does not know this schema id."""

    schema_id: int


class UnsafeSchema(ValueError):
    """An Avro schema whose records could make the decoder work without bound."""


def parse_response(schema_id: int, body: bytes) -> RegistrySchema:
    """The registry's answer for a known id; a malformed answer makes the schema unusable
    (the registry answered, so retrying would not help)."""
    if len(body) > MAX_SCHEMA_BYTES:
        return RegistrySchema(schema_id, "?", unusable=f"the registry's answer is {len(body)} "
                              f"bytes, over {MAX_SCHEMA_BYTES}")
    try:
        answer = json.loads(body)
        text = answer["schema"]
        kind = str(answer.get("schemaType") or SchemaType.AVRO.value)  # absent means Avro
        references = answer.get("references") or []
    except (ValueError, KeyError, TypeError, AttributeError):
        return RegistrySchema(schema_id, "?", unusable="the registry's answer is not a schema "
                              "(expected a JSON object with a `schema` string)")
    if not isinstance(text, str):
        return RegistrySchema(schema_id, kind, unusable="the registry's `schema` is not a string")
    if references:
        return RegistrySchema(schema_id, kind, unusable="the schema uses references to other "
                              "schemas, which Afterguard does not resolve")
    if kind == SchemaType.JSON.value:
        return RegistrySchema(schema_id, kind)  # the payload is JSON text, checked as such
    if kind != SchemaType.AVRO.value:
        return RegistrySchema(schema_id, kind, unusable=f"{kind} payloads are not decoded "
                              "(JSON Schema and Avro are)")
    return _avro(schema_id, text)


def _avro(schema_id: int, text: str) -> RegistrySchema:
    try:
        parsed = fastavro.parse_schema(json.loads(text))
    except (ValueError, SchemaParseException, TypeError, KeyError, AttributeError) as exc:
        return RegistrySchema(schema_id, "AVRO", unusable=f"not a valid Avro schema "
                              f"({type(exc).__name__})")
    try:
        depth, _size = _measure(parsed, {}, ())
    except UnsafeSchema as exc:
        return RegistrySchema(schema_id, "AVRO", unusable=str(exc))
    except RecursionError:
        return RegistrySchema(schema_id, "AVRO", unusable="the schema is nested too deeply")
    return RegistrySchema(schema_id, "AVRO", avro=parsed, avro_depth=depth)


def _measure(node: Any, named: dict[str, Any], inside: tuple[str, ...]) -> tuple[int, int]:
    """(deepest JSON nesting, fewest bytes) of a value of this (parsed) schema."""
    if isinstance(node, str):
        if node in _PRIMITIVE_BYTES:
            return 0, _PRIMITIVE_BYTES[node]
        if node in inside:
            raise UnsafeSchema(f"the schema is recursive ({node} holds itself): Afterguard "
                               "decodes only schemas whose nesting is bounded")
        if node not in named:
            raise UnsafeSchema(f"the schema names an undefined type {node}")
        return _measure(named[node], named, inside)
    if isinstance(node, list):  # a union: the branch's index, then the branch
        measured = [_measure(branch, named, inside) for branch in node]
        return max(d for d, _ in measured), 1 + min(s for _, s in measured)
    if not isinstance(node, dict):
        raise UnsafeSchema("the schema holds a type that is neither a name, a union nor an "
                           "object")
    kind = node.get("type")
    if kind in ("record", "error"):
        name = str(node["name"])
        named.setdefault(name, node)
        fields = [_measure(f["type"], named, (*inside, name)) for f in node.get("fields", [])]
        return 1 + max((d for d, _ in fields), default=0), sum(s for _, s in fields)
    if kind in ("enum", "fixed"):
        named.setdefault(str(node["name"]), node)
        return 0, int(node.get("size", 1)) if kind == "fixed" else 1
    if kind == "array":
        depth, item_bytes = _measure(node["items"], named, inside)
        if item_bytes == 0:
            raise UnsafeSchema("the schema has an array of items that take no bytes: a few "
                               "bytes of input could make the decoder produce any number of "
                               "items")
        return 1 + depth, 1
    if kind == "map":
        depth, _ = _measure(node["values"], named, inside)
        return 1 + depth, 1  # each entry's key takes a byte at least
    return _measure(kind, named, inside)  # {"type": "string", "logicalType": ...} and the like
