"""Decoding parses with orjson where it is sure orjson gives what json.loads gives, and encodes
the job hash with orjson where it writes what Python's encoder writes; on odd JSON (duplicate
keys, big integers, floats in every spelling, lone surrogates, deep nesting, BOMs, whitespace)
every record must come out as the exact path makes it: the same result, field by field and
type by type, the same job hash, or the same rejection with the same reason."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.sections.limits import Limits
from streams.worker.codec import Decoded, RawRecord, Rejected, decode
from tests.unit.worker.test_decode_fast_paths import written

# Numbers as agents write them: integers in and past 64 bits, floats in any spelling (digits
# enough for orjson's rounding to be tested: up to 18 of them, exponents to both extremes),
# the hard cases of correct rounding, and what only json.loads takes or neither does.
_BOUNDARY_INTEGERS = [2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 10**18 - 1,
                      10**18, 10**19, -(10**18) + 1, 0]
_HARD_FLOATS = ["2.2250738585072011e-308", "2.2250738585072012e-308", "2.4703282292062327e-324",
                "2.4703282292062328e-324", "4.9406564584124654e-324", "9007199254740993.0",
                "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
                "0.30000000000000004", "1e-400", "1e400", "-1E+400", "0.00001", "1e-5", "1E-05",
                "9.999e-5", "0.0001", "1e16", "1E16", "10000000000000000.0", "-0", "-0.0",
                "0e0", "0E-0", "-0e+00", "123456789012345678", "1234567890123456789",
                "12345678901234567.5", "5e-324", "1.5", "100.00", "0.1e1"]
_NOT_NUMBERS = ["NaN", "Infinity", "-Infinity", "nan", "inf", "01", "1.", ".5", "+1", "1e",
                "-", "--1", "0x10", "1_000", "1e+", "00", "-01"]
_ODD_STRINGS = ['"\\ud800"', '"\\udc00\\ud800"', '"\\ud83d\\ude00"', '"\\uD83D\\uDE00"',
                '"\\uDFFF"', '"a\x01b"', '"\\x41"', '"\\/"', '"\ufeff"', '"\x7f"', '"\u2028"',
                '"\\u0000"', '"\ud800"', '"\\U0041"', '"\\"', '"a', '"\\ue000"', '"\uffff"',
                '"\U0010ffff"', '"\\u006aob"', '"tru"']
# Between tokens: JSON's whitespace, and (odd) what JSON does not count as whitespace.
_SPACES = ["", "", "", " ", "\n", "\t", "\r\n", "  "]
_ODD_SPACES = ["\x0c", "\x0b", "\xa0", "\u2028", "\u3000", "\ufeff", "\x00"]


@st.composite
def decimal_texts(draw: st.DrawFn) -> str:
    digits = str(draw(st.integers(0, 10**18 - 1)))
    point = draw(st.integers(0, len(digits)))
    mantissa = digits if point == len(digits) else (digits[:point] or "0") + "." + digits[point:]
    sign = draw(st.sampled_from(["", "-"]))
    if draw(st.booleans()):
        return sign + mantissa
    marker = draw(st.sampled_from(["e", "E", "e+", "E-", "e-", "e0", "E+00"]))
    return sign + mantissa + marker + str(draw(st.integers(0, 400)))


# Floats in any of their spellings (`written`: repr, fixed, upper case, exponent), NaN and the
# infinities among them.
float_spellings = (st.floats() | st.floats(min_value=-1e-3, max_value=1e-3)
                   | st.floats(min_value=-1e22, max_value=1e22)).flatmap(written)


numbers = (st.integers().map(str) | st.sampled_from(_BOUNDARY_INTEGERS).map(str)
           | float_spellings | decimal_texts() | st.sampled_from(_HARD_FLOATS))


class Odd:
    """How odd one record's text is: `rare` odd tokens (invalid JSON, or JSON only json.loads
    reads) are drawn in one token of `rare`; 0: none."""

    def __init__(self, rare: int) -> None:
        self.rare = rare

    def now(self, draw: st.DrawFn) -> bool:
        return self.rare > 0 and draw(st.integers(1, self.rare)) == 1


@st.composite
def spaces(draw: st.DrawFn, odd: Odd) -> str:
    return draw(st.sampled_from(_ODD_SPACES if odd.now(draw) else _SPACES))


@st.composite
def string_texts(draw: st.DrawFn, odd: Odd) -> str:
    """A JSON string literal: escaped or raw; (odd) lone and paired surrogates, control
    characters, a BOM inside, invalid escapes."""
    if odd.now(draw):
        return draw(st.sampled_from(_ODD_STRINGS))
    text = draw(st.text() | st.text(st.characters(max_codepoint=0x7f)))
    return json.dumps(text, ensure_ascii=draw(st.booleans()))


@st.composite
def scalars(draw: st.DrawFn, odd: Odd) -> str:
    if odd.now(draw):
        return draw(st.sampled_from(_NOT_NUMBERS))
    return draw(numbers | string_texts(odd) | st.sampled_from(["true", "false", "null"]))


@st.composite
def values(draw: st.DrawFn, odd: Odd, depth: int = 0) -> str:
    shape = draw(st.sampled_from(["scalar", "scalar", "list", "object"] if depth < 4 else
                                 ["scalar"]))
    if shape == "scalar":
        return draw(scalars(odd))
    items = draw(st.integers(0, 4))
    if shape == "list":
        inner = [draw(spaces(odd)) + draw(values(odd, depth + 1)) + draw(spaces(odd))
                 for _ in range(items)]
        return "[" + draw(spaces(odd)) + ",".join(inner) + "]"
    return "{" + draw(spaces(odd)) + ",".join(draw(member(odd, depth + 1))
                                             for _ in range(items)) + "}"


@st.composite
def member(draw: st.DrawFn, odd: Odd, depth: int) -> str:
    key = draw(string_texts(odd) | st.sampled_from(['"a"', '"a"', '"b"', '"output"']))
    return (draw(spaces(odd)) + key + draw(spaces(odd)) + ":" + draw(spaces(odd))
            + draw(values(odd, depth)) + draw(spaces(odd)))


_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_IDENTIFIER = st.builds(lambda first, rest: json.dumps(first + rest), st.sampled_from(_ALNUM),
                        st.text(_ALNUM + "._:-", max_size=8))


@st.composite
def _identifier(draw: st.DrawFn, odd: Odd) -> str:
    """Mostly an identifier, one in eight anything else."""
    return draw(scalars(odd) if draw(st.integers(0, 7)) == 0 else _IDENTIFIER)


def _field(name: str, odd: Odd) -> st.SearchStrategy[str]:
    """A result field's value: right, wrong or odd."""
    if name in ("job_id", "agent_id", "action", "tenant"):
        return _identifier(odd)
    if name == "risk_tags":
        return st.lists(_identifier(odd), max_size=3).map(lambda tags: "[" + ",".join(tags) + "]")
    if name == "audience":
        return st.sampled_from(['"internal"', '"customer"', '"public"'])
    if name == "executed_at":
        return st.sampled_from(['"2026-11-28T16:00:00Z"', '"2026-11-28"', '"yesterday"', "0"])
    if name in ("output", "attributes", "extra"):
        return values(odd)
    return numbers | scalars(odd)  # amount_usd, affected_users, confidence, ...


_FIELDS = ("job_id", "agent_id", "action", "output", "tenant", "risk_tags", "amount_usd",
           "affected_users", "confidence", "anomaly_score", "retry_count", "audience",
           "executed_at", "attributes", "extra")


@st.composite
def records(draw: st.DrawFn) -> bytes:
    """An action result's JSON text: its fields in any order, some twice (duplicate keys: the
    last value, the first place), some missing, odd whitespace, a BOM, a deep output, a cut."""
    odd = Odd(draw(st.sampled_from([0, 0, 0, 0, 30, 100])))
    names = [name for name in _FIELDS[:4] if draw(st.integers(0, 19))]
    names += draw(st.lists(st.sampled_from(_FIELDS), max_size=4))
    names = draw(st.permutations(names))
    if names and draw(st.integers(0, 4)) == 0:
        names.append(draw(st.sampled_from(names)))  # a duplicate key
    parts = []
    for name in names:
        value = draw(_field(name, odd))
        if name == "output" and draw(st.integers(0, 9)) == 0:  # nested around the depth bound
            levels = draw(st.integers(55, 70))
            value = "[" * levels + value + "]" * levels
        parts.append(draw(spaces(odd)) + json.dumps(name) + draw(spaces(odd)) + ":"
                     + draw(spaces(odd)) + value + draw(spaces(odd)))
    text = draw(spaces(odd)) + "{" + ",".join(parts) + "}" + draw(spaces(odd))
    if draw(st.integers(0, 19)) == 0:
        text = draw(st.sampled_from(["\ufeff", "\ufffe"])) + text  # a BOM (or its reverse)
    data = text.encode("utf-8", "surrogatepass")  # a raw surrogate: not UTF-8
    mutation = draw(st.integers(0, 29))
    if mutation == 0:
        data = data[:draw(st.integers(0, len(data)))]
    elif mutation == 1:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=3)) + data[at:]
    return data


def typed(value: Any) -> Any:
    """`value` with every type and float spelling shown: equal only when the same to the bit,
    with dict keys in their order."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [typed(item) for item in value])
    if isinstance(value, float):
        return ("float", repr(value), math.copysign(1.0, value))
    return (type(value).__name__, repr(value))


def outcome(decoded: Decoded | Rejected) -> Any:
    if isinstance(decoded, Rejected):
        return ("rejected", decoded.error, decoded.reason)
    result = decoded.result
    return ("decoded", decoded.job_hash, typed(result.__dict__),
            typed(result.__pydantic_extra__), sorted(result.model_fields_set))


LIMITS = [Limits(), Limits(max_depth=6, max_number_digits=20, max_values=100),
          Limits(max_depth=64, max_number_digits=25, max_values=100)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=records(), limits=st.sampled_from(LIMITS))
def test_odd_json_decodes_as_the_exact_path_decodes_it(text: bytes, limits: Limits) -> None:
    raw = RawRecord("in", 0, 1, None, text)
    assert outcome(decode(raw, limits)) == outcome(decode(raw, limits, exact=True))


@pytest.mark.parametrize("number", [
    "18446744073709551616", "-9223372036854775809", "123456789012345678901234567890",
    "1e400", "-1E400", "NaN", "-Infinity", "1" * 320 + ".0", "1e-5", "1.5E-9", "0.00001",
    "9223372036854775807", "18446744073709551615", "2.4703282292062328e-324", "-0", "-0.0",
])
def test_numbers_orjson_reads_or_writes_otherwise_decode_as_json_decodes_them(number: str
                                                                              ) -> None:
    text = ('{"job_id": "j", "agent_id": "a", "action": "x", "output": {"n": ' + number
            + '}, "amount_usd": ' + number + "}").encode()
    raw = RawRecord("in", 0, 1, None, text)
    assert outcome(decode(raw)) == outcome(decode(raw, exact=True))


@pytest.mark.parametrize("text", [
    b'\xef\xbb\xbf{"job_id": "j", "agent_id": "a", "action": "x", "output": 1}',
    b'{"job_id": "j", "agent_id": "a", "action": "x", "output": "\\ud800"}',
    b'{"job_id": "j", "agent_id": "a", "action": "x", "output": "\\udc00\\ud800"}',
    b'{"job_id": "j", "agent_id": "a", "action": "x", "output": "\xed\xa0\x80"}',
    b'{"job_id": "j", "job_id": "k", "agent_id": "a", "action": "x", "output": 1, "job_id": "m"}',
    b'{"job_id": "j", "agent_id": "a", "action": "x", "output": 1}\x0c',
    b'{"job_id": "j", "agent_id": "a", "action": "x", "output": [1,]}',
])
def test_texts_orjson_refuses_or_reads_otherwise_decode_as_json_decodes_them(text: bytes
                                                                             ) -> None:
    raw = RawRecord("in", 0, 1, None, text)
    assert outcome(decode(raw)) == outcome(decode(raw, exact=True))
