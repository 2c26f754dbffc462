"""Decoding takes two shortcuts; each must give what the exact path gives on every input:
the bounds check skips blanking the strings when the raw text itself keeps the bounds, and the
job hash is encoded by orjson when the text holds no number orjson could write otherwise."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.worker.codec import canonical_json
from streams.worker.json_shape import exact_excess, excess

# Floats around every place where Python's and orjson's writing could part: below 1e-4
# (Python switches to an exponent, orjson later), from 1e16, near the extremes.
floats = (st.floats(allow_nan=False, allow_infinity=False)
          | st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False)
          | st.floats(min_value=-1e22, max_value=1e22, allow_nan=False)
          | st.integers(-(2**60), 2**60).map(float)
          | st.sampled_from([0.0, -0.0, 1e-4, 9.999e-5, 1e-5, 1.5e-7, 1e-9, 1e-10, 1e16, 1e21,
                             2.0**53, 5e-324, 1.7976931348623157e308, 0.1 + 0.2]))
texts = (st.text() | st.text(alphabet=st.characters(max_codepoint=0x7f))
         | st.sampled_from(["NaN", "1e5", "x.0000y", "\ud800", "\u2028\x7f\x00", "Infinity"]))
keys = texts | st.sampled_from(["", "\uff61", "\U0001f600", "\ue000", "é"])
# Ints inside and past 64 bits, NaN and the infinities (json.loads takes NaN and Infinity).
numbers = st.integers() | st.integers(-(2**64), 2**64) | floats | st.sampled_from(
    [math.nan, math.inf, -math.inf])
documents = st.recursive(
    st.none() | st.booleans() | numbers | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=16)


@st.composite
def written(draw: st.DrawFn, value: Any) -> str:
    """`value` as a JSON text an agent might write: floats in any of their spellings."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return draw(st.sampled_from(["Infinity", "1E400", "1" + "0" * 320 + ".0"])) if \
                value > 0 else "-Infinity"
        spelling = draw(st.sampled_from(["repr", "fixed", "upper", "exponent"]))
        if spelling == "fixed" and abs(value) < 1e30:
            return format(value, f".{draw(st.integers(0, 30))}f")
        if spelling == "upper":
            return repr(value).upper()
        if spelling == "exponent":
            return format(value, f".{draw(st.integers(0, 17))}e")
        return repr(value)
    if isinstance(value, list):
        return "[" + ",".join(draw(written(item)) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(key) + ":" + draw(written(item))
                              for key, item in value.items()) + "}"
    return json.dumps(value)


def outcome(encode: Any) -> bytes | str:
    try:
        return bytes(encode())
    except (ValueError, UnicodeEncodeError) as exc:  # as job_hash turns them into reasons
        return type(exc).__name__


@settings(max_examples=1500, deadline=None)
@given(data=st.data(), document=documents)
def test_the_job_hash_encoding_is_pythons_whatever_the_text(data: st.DataObject,
                                                            document: Any) -> None:
    text = data.draw(written({"output": document})).encode("utf-8", "surrogatepass")
    try:
        parsed = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return  # not JSON: never hashed
    assert outcome(lambda: canonical_json(parsed, text)) == outcome(lambda: canonical_json(parsed))


@pytest.mark.parametrize("text", [
    b'{"a":0.00001}', b'{"a":1e-7}', b'{"a":1.5E-9}', b'{"a":NaN}', b'{"a":-Infinity}',
    b'{"a":1E400}', b'{"a":' + b"1" * 320 + b'.0}', b'{"a":0.00009999}', b'{"\\u00e9":1}',
    b'{"a":"\\ud800"}', b'{"a":123456789012345678901234567890}', b'{"b":1,"a":[1.5,2.0]}',
])
def test_the_numbers_orjson_writes_otherwise_take_the_exact_encoder(text: bytes) -> None:
    parsed = json.loads(text)
    assert outcome(lambda: canonical_json(parsed, text)) == outcome(lambda: canonical_json(parsed))


json_bytes = st.lists(st.sampled_from([b"[", b"]", b"{", b"}", b'"', b"\\", b"1", b"9", b"0",
                                       b",", b":", b"a", b" ", b"\\\""]), max_size=80).map(b"".join)


@settings(max_examples=2000, deadline=None)
@given(text=json_bytes | st.binary(max_size=60), depth=st.integers(2, 6),
       digits=st.integers(1, 6), values=st.none() | st.integers(1, 60))
def test_the_bounds_check_says_what_the_skeleton_says(text: bytes, depth: int, digits: int,
                                                      values: int | None) -> None:
    assert excess(text, depth, digits, values) == exact_excess(text, depth, digits, values)
