"""Decode raw Kafka records into action results; anything else becomes a readable reason."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson
from pydantic import ValidationError

from policies.action_result import IDENTIFIER_CHARACTERS, ActionResult
from policies.sections.limits import Limits
from streams.registry import RegistrySchema, UnknownSchema, unframe
from streams.registry.framing import HEADER_BYTES, is_framed, schema_id_of
from streams.worker.json_shape import NUMBER_MARKS, exact_excess, excess
from streams.worker.value_count import parse_ceiling


class RawRecord(NamedTuple):
    """A record as consumed: its place in the log and its bytes, and for a value framed by a
    schema registry, what the registry said of its schema id (fetched before the batch is
    decided: streams/registry/resolver.py; None when no registry is configured).

    A named tuple: the decide loop makes one per input record on the event loop's thread, in
    a third of a frozen dataclass's time (0.4 against 1.2 us: docs/benchmarks.md step 41)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    schema: RegistrySchema | UnknownSchema | None = None


def with_schemas(batch: Sequence[RawRecord],
                 schemas: Mapping[int, RegistrySchema | UnknownSchema]) -> list[RawRecord]:
    """The batch with each framed value's schema attached."""
    return [raw._replace(schema=schemas.get(schema_id_of(raw.value)))
            if raw.value is not None and is_framed(raw.value) and len(raw.value) >= HEADER_BYTES
            else raw for raw in batch]


@dataclass(frozen=True)
class Rejected:
    """Why a raw record is not a valid action result (never quotes the record's values)."""

    error: str
    reason: str


def canonical_json(value: Any, text: bytes | None = None) -> bytes:
    """Python's sorted compact JSON of `value` (what job hashes have always been taken over).
    `text`: the JSON text `value` was parsed from; when it holds no number orjson could write
    otherwise (`_orjson_may_differ`), orjson writes the same bytes, faster."""
    return _canonical(value, text is not None
                      and not _orjson_may_differ(text, text.translate(NUMBER_MARKS)))


def _canonical(value: Any, orjson_writes_it: bool) -> bytes:
    """`canonical_json`; by orjson when `value`'s text holds no number it writes otherwise."""
    if orjson_writes_it:
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass  # a lone surrogate, an integer past 64 bits, deeper than orjson goes
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


# orjson and Python's encoder write strings, integers, booleans, null and finite floats alike
# (sorted keys: both by code point), but for floats below 1e-4 (Python `1e-05`, orjson
# `0.00001` or `1e-5`) and NaN or infinity (Python refuses them, orjson writes null). Such a
# float can only come from a text holding a digit before an exponent, `.0000`, `NaN`,
# `Infinity` or a run of 300 digits (past 1e308): any of these, even inside a string, takes the
# exact encoder. tests/unit/worker/test_decode_fast_paths.py compares the two on generated
# texts and fails when one of these marks is not looked for. A text orjson parsed holds none of
# the last three (`_tiny_float_marked`).
_LONG_RUN = b"0" * 300


def _tiny_float_marked(text: bytes, marked: bytes) -> bool:
    """`marked`: `text.translate(NUMBER_MARKS)` (digits as 0, `E` as `e`)."""
    return b"0e" in marked or b".0000" in text


def _orjson_may_differ(text: bytes, marked: bytes) -> bool:
    return (_tiny_float_marked(text, marked) or b"NaN" in text or b"Infinity" in text
            or _LONG_RUN in marked)


@dataclass(frozen=True)
class Decoded:
    result: ActionResult
    job_hash: str


DEFAULT_LIMITS = Limits()
# What `ActionResult.model_validate` calls, without its wrapper's argument checks (~1 us less
# a result; the same validator, so the same results and errors)
_validate_result = ActionResult.__pydantic_validator__.validate_python


def decode(raw: RawRecord, limits: Limits = DEFAULT_LIMITS, *,
           exact: bool = False) -> Decoded | Rejected:
    """The action result and the hash of its canonical document, or why it is rejected.

    Bounds are checked on the bytes before the parser runs (size, then depth and number
    length); input that passes cannot make the parser or any later step recurse or convert
    without bound. Nothing here raises: an unforeseen failure is a `Rejected` too.

    `exact`: without the shortcuts (the bounds measured on the text's skeleton, `json.loads`,
    Python's encoder): what tests/unit/worker/test_decode_fast_paths.py holds them to."""
    value = raw.value
    if value is None:
        return Rejected("missing_value", "the record has no value (tombstone)")
    if len(value) > limits.max_record_bytes:
        return Rejected("record_too_large", f"the value is {len(value)} bytes; the policy's "
                                            f"limits.max_record_bytes is {limits.max_record_bytes}")
    try:
        if is_framed(value):  # a schema registry's wire format: the document's JSON text
            unframed = unframe(value, raw.schema, max_depth=limits.max_depth,
                               max_bytes=limits.max_record_bytes)
            if unframed.text is None:
                return Rejected(unframed.error, unframed.reason)
            value = unframed.text
        if exact:
            over = exact_excess(value, limits.max_depth, limits.max_number_digits,
                                parse_ceiling(limits.max_values))
            return Rejected(over.error, over.reason) if over is not None else _parsed(value)
        marked = value.translate(NUMBER_MARKS)
        over = excess(value, limits.max_depth, limits.max_number_digits,
                      parse_ceiling(limits.max_values), marked)
        if over is not None:
            return Rejected(over.error, over.reason)
        return _parsed_fast(value, marked)
    except (RecursionError, ValueError, TypeError, MemoryError) as exc:
        return Rejected("not_json", f"the value could not be parsed safely "
                                    f"({type(exc).__name__})")


# orjson parses a JSON text to what json.loads makes of it, but for integers past 64 bits
# (orjson makes floats of them), and refuses some texts json.loads takes: NaN and Infinity,
# numbers past 1e308, lone surrogate escapes, a BOM. A text with a run of 19 digits (an integer
# of 18 digits is within 64 bits) is parsed by json.loads, and so is one orjson refuses: its
# error is json's. tests/unit/worker/test_decode_fast_paths.py compares the two on odd texts.
_LONG_INTEGER = b"0" * 19


def _parsed_fast(value: bytes, marked: bytes) -> Decoded | Rejected:
    """`_parsed`, by orjson where it gives the same (`marked`: `value` marked)."""
    if _LONG_INTEGER in marked:
        return _parsed(value, marked)
    try:
        document = orjson.loads(value)
    except orjson.JSONDecodeError:
        return _parsed(value, marked)  # not JSON to orjson: json.loads says why (or takes it)
    # Parsed by orjson: no NaN, Infinity or number past 1e308 in it, nor a lone surrogate.
    return _validated(document, not _tiny_float_marked(value, marked))


def _parsed(value: bytes, marked: bytes | None = None) -> Decoded | Rejected:
    """json.loads and Python's encoder (`marked`: `value` marked: orjson may encode it)."""
    try:
        # Strict UTF-8 first: json.loads(bytes) would let an encoded lone surrogate through.
        document = json.loads(value.decode("utf-8"))
    except UnicodeDecodeError:
        return Rejected("not_json", "the value is not UTF-8 text")
    except json.JSONDecodeError as exc:
        return Rejected("not_json", f"the value is not JSON: {exc.msg} at line {exc.lineno} "
                                    f"column {exc.colno}")
    return _validated(document, marked is not None and not _orjson_may_differ(value, marked))


def _validated(document: Any, orjson_writes_it: bool) -> Decoded | Rejected:
    """The result in `document` and its job hash (`orjson_writes_it`: see `_canonical`)."""
    if not isinstance(document, dict):
        return Rejected("not_an_object",
                        f"the value is JSON {type(document).__name__}, not an object")
    try:
        digest = "sha256:" + hashlib.sha256(_canonical(document, orjson_writes_it)).hexdigest()
    except UnicodeEncodeError:
        return Rejected("not_json", "the value holds an unpaired surrogate escape "
                                    "(\\ud800-\\udfff), which UTF-8 text cannot carry")
    except ValueError:
        return Rejected("not_json", "the value holds NaN or Infinity, which JSON does not allow")
    try:
        return Decoded(_validate_result(document), digest)
    except ValidationError as exc:
        return Rejected("invalid_record", describe(exc))


def describe(exc: ValidationError) -> str:
    """A readable reason from pydantic errors, naming fields but never quoting their values."""
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        field = ".".join(str(part) for part in error["loc"]) or "(record)"
        if error["type"] == "missing":
            problems.append(f"missing required field '{field}'")
        elif error["type"] == "string_pattern_mismatch":
            problems.append(f"field '{field}': metadata must be an identifier of "
                            f"{IDENTIFIER_CHARACTERS}")
        else:
            problems.append(f"field '{field}': {error['msg']}")
    return "; ".join(problems)
