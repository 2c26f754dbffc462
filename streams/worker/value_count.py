"""How many values a result's output holds, bounded cheaply before the output is scanned.

The scan's cost in memory and time grows with the number of values, not with bytes: a 1 MB output
of 250,000 empty strings made about 250,000 leaves, paths and per-leaf lists (about 130 MB of RSS
for one record, 2.7 GB for a poll of twenty). `limits.max_values` bounds it; a result over it is
quarantined unscanned (`too_many_values`), like one over `limits.max_payload_bytes`.

The count is every value of the output (string, number, true, false, null, array, object) and
every object key. Most records are settled on their bytes: a JSON text of n values and k keys has
at least n - 1 - (non-empty containers) commas and k colons outside its strings, so commas + colons
+ openers + 1 over the whole text (strings and the result's other fields included) bounds the
output's count from above. Only a text over the limit by that bound is counted exactly, on the
parsed output, stopping once past the limit.

The parse itself is bounded too: it makes one object per value (1 MB of `[[],[],…]` is 330,000
lists, about 22 MB held per record, and a poll holds twenty), so a record whose JSON holds
more than `parse_ceiling(max_values)` values and keys, counted exactly on its bytes with its
strings blanked (`streams/worker/json_shape.py`), is never parsed: a dead letter
`too_many_values`. One within it whose output holds over `max_values` is quarantined as above.
"""

from __future__ import annotations

from typing import Any


# How many times `limits.max_values` values and keys a record's JSON may hold to be parsed: a
# result a little over the limit (a query that returned more rows) is still quarantined,
# audited and reviewed; one far over it is not parsed at all.
PARSED_PER_ALLOWED = 2


def parse_ceiling(max_values: int) -> int:
    """The most values and keys the parser makes for one record under `max_values`."""
    return PARSED_PER_ALLOWED * max_values


def values_bound(text: bytes) -> int:
    """An upper bound on the values and keys of any JSON value inside the JSON `text`."""
    return (text.count(b",") + text.count(b":") + text.count(b"[") + text.count(b"{") + 1)


def count_values(value: Any, stop: int) -> int:
    """The values and keys in `value`, counted up to `stop` (a count past it is `stop + 1`)."""
    count = 0
    pending = [value]
    while pending:
        item = pending.pop()
        count += 1
        if type(item) is dict or isinstance(item, dict):
            count += len(item)  # its keys
            pending.extend(item.values())
        elif type(item) is list or isinstance(item, list):
            pending.extend(item)
        if count > stop:
            return stop + 1
    return count


def output_values(text: bytes | None, output: Any, limit: int, framed: bool = False) -> int:
    """The values and keys of `output`, parsed from the JSON `text` (a bound from the bytes when
    that is within `limit`; `framed`: the text is a registry's binary encoding, always counted)."""
    if text is not None and not framed:
        bound = values_bound(text)
        if bound <= limit:
            return bound
    return count_values(output, limit)
