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


def canonical_bytes(value: Any) -> bytes:
    return "".join(_encode(value)).encode("utf-8")


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
