"""The fast canonical encoder (orjson over a normalised copy) gives exactly the bytes of the
RFC 8785 encoder, and a record sealed member by member is the canonical form of the whole."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.audit.canonical import _encode, canonical_bytes, canonical_members, canonical_object
from streams.audit.chain import AuditChain, record_hash
from tests.unit.audit.records import audit

# Floats where the fast path's rules change: Python's repr switches to an exponent below 1e-4
# and from 1e16, ECMAScript below 1e-6 and from 1e21; integral floats lose their ".0".
floats = (st.floats(allow_nan=False, allow_infinity=False)
          | st.floats(min_value=-1e22, max_value=1e22, allow_nan=False)
          | st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False)
          | st.integers(-(2**60), 2**60).map(float)
          | st.sampled_from([0.0, -0.0, 1e-4, 9.999e-5, 1e-6, 1e-7, 1e16, 1e21, 1e15 + 0.5,
                             2.0**53, 2.0**53 + 2, 0.1 + 0.2, 5e-324, 1.7976931348623157e308]))
texts = st.text() | st.text(alphabet=st.characters(max_codepoint=0x7f))
keys = (st.text(max_size=6) | st.text(alphabet=st.characters(max_codepoint=0x7f), max_size=6)
        | st.sampled_from(["chain", "\uff61", "\U0001f600", "\ue000", "a\x00"]))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.integers(-(2**80), 2**80) | floats | texts,
    lambda children: st.lists(children, max_size=4)
    | st.lists(children, max_size=3).map(tuple)
    | st.dictionaries(keys, children, max_size=4),
    max_leaves=20,
)


def exact(value: Any) -> bytes:
    return "".join(_encode(value)).encode("utf-8")


@settings(max_examples=600, deadline=None)
@given(json_values)
def test_fast_path_matches_the_exact_encoder(value: Any) -> None:
    try:
        expected = exact(value)
    except UnicodeEncodeError:
        return  # lone surrogates cannot be UTF-8 in either path
    assert canonical_bytes(value) == expected


@settings(max_examples=200, deadline=None)  # one example took 260 ms at load average 14
@given(st.dictionaries(keys, json_values, max_size=6))
def test_an_object_of_encoded_members_is_the_canonical_object(value: dict[str, Any]) -> None:
    try:
        expected = exact(value)
    except UnicodeEncodeError:
        return
    assert canonical_object({k: canonical_bytes(v) for k, v in value.items()}) == expected
    assert canonical_object(canonical_members(value)) == expected


def test_numbers_as_ecmascript_prints_them() -> None:
    assert canonical_bytes({"b": 1.0, "a": 5e-05, "c": 1e21, "d": 0.1}) == (
        b'{"a":0.00005,"b":1,"c":1e+21,"d":0.1}')
    assert canonical_bytes([9007199254740992.0, 2.0**60]) == (
        b"[9007199254740992,1152921504606847000]")
    assert canonical_bytes([-0.0, 2**70, 1e16 + 2.5]) == (
        b"[0,1180591620717411303424,10000000000000002]")


def test_a_sealed_record_is_the_canonical_form_of_what_is_written() -> None:
    """Sealing encodes each member once; the bytes are still the canonical form of the
    whole record, and its hash is record_hash's (which auditors recompute)."""
    chain = AuditChain.fresh(1)
    for offset in range(5):
        sealed = chain.seal(audit(offset, tenant="t\u00e9\U0001f600", trace_id="x\n"), 0)
        record = json.loads(sealed.value)
        assert sealed.value == exact(record)
        assert record["chain"]["hash"] == record_hash(record)
