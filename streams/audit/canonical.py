"""Canonical JSON in the style of RFC 8785 (JCS): the bytes a record's hash is taken over.

Object keys sorted by their UTF-16 code units, no whitespace, UTF-8, strings escaped as
ECMAScript's JSON.stringify does, numbers in their shortest round-trip form (`1.0` is `1`,
`1e21` is `1e+21`). Integers are written exactly; records keep them below 2**53.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import orjson

_SORTED = orjson.OPT_SORT_KEYS


def canonical_bytes(value: Any) -> bytes:
    """The canonical form. Most records take the fast path: orjson's output agrees with
    RFC 8785 whenever every key is ASCII (code-point and UTF-16 order agree) and every float
    prints without an exponent in Python (then orjson, Python's repr and ECMAScript print the
    same shortest digits; integral floats are written as integers first). Anything else, and
    anything orjson refuses (a lone surrogate, an integer past 64 bits), goes through the exact
    encoder below. `tests/unit/audit/test_canonical_fast_path.py` checks the two agree."""
    normalized = _normalized(value)
    if normalized is not _SLOW:
        try:
            return orjson.dumps(normalized, option=_SORTED)
        except orjson.JSONEncodeError:
            pass
    return "".join(_encode(value)).encode("utf-8")


def canonical_members(value: Mapping[str, Any]) -> dict[str, bytes]:
    """The canonical bytes of each member of an object, walked once (for `canonical_object`)."""
    normalized = _normalized(dict(value))
    if normalized is not _SLOW:
        try:
            return {key: orjson.dumps(item, option=_SORTED) for key, item in normalized.items()}
        except orjson.JSONEncodeError:
            pass
    return {key: canonical_bytes(item) for key, item in value.items()}


def canonical_object(members: Mapping[str, bytes]) -> bytes:
    """The canonical form of an object whose members are already canonical bytes: a record
    sealed with two versions of one member (its chain link without and with the hash) encodes
    the rest once. The same bytes as `canonical_bytes` of the whole object."""
    if all(key.isascii() for key in members):
        keys = sorted(members)
    else:
        keys = sorted(members, key=_utf16)
    return b"{" + b",".join(_key(key) + members[key] for key in keys) + b"}"


def _key(key: str) -> bytes:
    """`"key":`; field names repeat, so their encoding is kept (a bounded number of them)."""
    encoded = _KEYS.get(key)
    if encoded is None:
        encoded = _string(key).encode("utf-8") + b":"
        if len(_KEYS) < 4096:
            _KEYS[key] = encoded
    return encoded


_KEYS: dict[str, bytes] = {}
_SLOW = object()


def _normalized(value: Any) -> Any:
    """`value` ready for the fast path, or _SLOW when it must take the exact one. Dispatches
    on the exact type first: parsed JSON and `model_dump(mode="json")` hold only plain types."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str or not key.isascii():
                return _SLOW
            item_kind = type(item)
            if not (item_kind is str or item_kind is int or item_kind is bool or item is None):
                item = _normalized(item)
                if item is _SLOW:
                    return _SLOW
            out[key] = item
        return out
    if kind is list or kind is tuple:
        items = []
        for item in value:
            item_kind = type(item)
            if not (item_kind is str or item_kind is int or item_kind is bool or item is None):
                item = _normalized(item)
                if item is _SLOW:
                    return _SLOW
            items.append(item)
        return items
    if kind is float:
        if not math.isfinite(value):
            raise ValueError("NaN and Infinity are not JSON")
        if value.is_integer():  # beyond 2**53 ECMAScript pads the shortest digits with zeros
            return int(value) if abs(value) < 2**53 else _SLOW
        return value if "e" not in repr(value) else _SLOW
    return _SLOW  # a subclass (an enum, a str or int subtype): the exact encoder decides


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be")
def _encode(value: Any) -> list[str]:
    if value is None or value is True or value is False:
        return [json.dumps(value)]
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, float):
        return [_number(value)]
    if isinstance(value, str):
        return [_string(value)]
    if isinstance(value, list | tuple):
        parts = ["["]
        for index, item in enumerate(value):
            parts.extend([","] * (index > 0) + _encode(item))
        return [*parts, "]"]
    if isinstance(value, dict):
        parts = ["{"]
        keys = sorted(value, key=lambda k: str(k).encode("utf-16-be"))
        for index, key in enumerate(keys):
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings, not {type(key).__name__}")
            parts.extend([","] * (index > 0) + [_string(key), ":"] + _encode(value[key]))
        return [*parts, "}"]
    raise TypeError(f"{type(value).__name__} is not JSON")


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _number(x: float) -> str:
    """ECMAScript Number::toString for a finite double."""
    if not math.isfinite(x):
        raise ValueError("NaN and Infinity are not JSON")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(x))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    k, n = len(digits), len(digits) + int(exponent)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"
