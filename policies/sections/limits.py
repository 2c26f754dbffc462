"""Bounds on one input record. Hostile input is the normal case: every bound is checked before
the step it protects, and a record over one never raises out of the worker.

Two kinds of limit, with two outcomes:
- Input that cannot be parsed safely (over `max_record_bytes`, nested deeper than `max_depth`,
  a number longer than `max_number_digits`) is never parsed: it goes to the dead-letter topic
  (`record_too_large`, `too_deep`, `number_too_large`) with its bytes and a readable reason. No
  field of it can be trusted, not even its `job_id`, so there is nothing to decide about.
- A parsed result over a limit fails closed: QUARANTINE with the limit as its reason
  (`payload_too_large` past `max_payload_bytes`, `too_many_values` past `max_values`,
  `detector_timeout` past `scan_timeout_ms`), unscanned.

`max_values` bounds what bytes do not: the scan's memory and time grow with the output's values
and keys (a leaf, a path and lists each), so a 1 MB output of 250,000 empty strings cost about
130 MB while scanned; and the parser makes one object per value (1 MB of `[[],[],…]`: 330,000
lists, 22 MB). A record of more than twice `max_values` values and keys, counted on its bytes,
is never parsed (dead letter `too_many_values`, streams/worker/value_count.py). The demo mix's
outputs hold at most 20 values and keys.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from policies.base import Strict

# Python's json parser raises RecursionError near 1,000 levels and the walkers recurse once per
# level; 200 keeps every recursive step downstream (walkers, canonical JSON, pydantic) far below.
DEPTH_CEILING = 200
# Python refuses to convert integers over 4,300 digits (ValueError from json.loads).
DIGITS_CEILING = 4_000
# A batch is scanned in runs of at most `max_values` values (streams/worker/scan_budget.py): this
# keeps one run's leaves within tens of MB.
VALUES_CEILING = 200_000


class Limits(Strict):
    max_record_bytes: int = Field(default=8_388_608, gt=0)
    max_payload_bytes: int = Field(default=1_048_576, gt=0)
    max_depth: int = Field(default=64, ge=2, le=DEPTH_CEILING)
    max_number_digits: int = Field(default=100, ge=20, le=DIGITS_CEILING)
    max_values: int = Field(default=20_000, ge=100, le=VALUES_CEILING)
    scan_timeout_ms: int = Field(default=2_000, gt=0, le=600_000)

    @model_validator(mode="after")
    def _record_holds_payload(self) -> Limits:
        if self.max_record_bytes < self.max_payload_bytes:
            raise ValueError("max_record_bytes must be at least max_payload_bytes: a record "
                             "holds its payload")
        return self
