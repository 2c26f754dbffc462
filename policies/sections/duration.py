"""Durations as people write them in a policy: `30s`, `15m`, `4h`, `14d` (or seconds)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")


def _parse(value: Any) -> Any:
    if isinstance(value, str):
        found = _DURATION.match(value)
        if found is None:
            raise ValueError(f"{value!r} is not a duration such as 30s, 15m, 4h, 14d or 2w")
        return timedelta(seconds=float(found.group(1)) * _UNITS[found.group(2)])
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or text such as 15m")  # noqa: TRY004 - pydantic reports only ValueError as a validation error
    return value


Duration = Annotated[timedelta, BeforeValidator(_parse), Field(gt=timedelta(0))]
