"""The fast canonical encoder gives exactly the bytes of the RFC 8785 encoder."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.audit.canonical import _encode, canonical_bytes

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400)
@given(json_values)
def test_fast_path_matches_the_exact_encoder(value: Any) -> None:
    try:
        exact = "".join(_encode(value)).encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates cannot be UTF-8 in either path
    assert canonical_bytes(value) == exact


def test_numbers_as_ecmascript_prints_them() -> None:
    assert canonical_bytes({"b": 1.0, "a": 5e-05, "c": 1e21, "d": 0.1}) == (
        b'{"a":0.00005,"b":1,"c":1e+21,"d":0.1}')
    assert canonical_bytes([9007199254740992.0, 2.0**60]) == (
        b"[9007199254740992,1152921504606847000]")
