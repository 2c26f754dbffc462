"""Canonical JSON in the style of RFC 8785 (JCS): the bytes a record's hash is taken over.

Object keys sorted by their UTF-16 code units, no whitespace, UTF-8, strings escaped as
ECMAScript's JSON.stringify does, numbers in their shortest round-trip form (`1.0` is `1`,
`1e21` is `1e+21`). Integers are written exactly; records keep them below 2**53.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

_FAST = json.JSONEncoder(ensure_ascii=False, allow_nan=False, sort_keys=True,
                         separators=(",", ":"))


def canonical_bytes(value: Any) -> bytes:
    """The canonical form. Most records take the fast path: the standard library's encoder
    agrees with RFC 8785 whenever every key is ASCII (code-point and UTF-16 order agree) and
    every float prints without an exponent (repr and ECMAScript agree; integral floats are
    written as integers first). Anything else goes through the exact encoder below."""
    normalized = _normalized(value)
    if normalized is not _SLOW:
        try:
            return _FAST.encode(normalized).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: the exact encoder escapes it
            pass
    return "".join(_encode(value)).encode("utf-8")


_SLOW = object()


def _normalized(value: Any) -> Any:
    """`value` ready for the fast path, or _SLOW when it must take the exact one."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                return _SLOW
            item = _normalized(item)
            if item is _SLOW:
                return _SLOW
            out[key] = item
        return out
    if isinstance(value, list | tuple):
        items = [_normalized(item) for item in value]
        return _SLOW if any(item is _SLOW for item in items) else items
    if isinstance(value, float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError("NaN and Infinity are not JSON")
        if value.is_integer():  # beyond 2**53 ECMAScript pads the shortest digits with zeros
            return int(value) if abs(value) < 2**53 else _SLOW
        return value if "e" not in repr(value) else _SLOW
    return value


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
