"""Redaction operators as policy data: what a rule does to a value it redacts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from policies.base import Strict


class Replace(Strict):
    """A typed placeholder in place of the value: `[REDACTED:EMAIL_ADDRESS]`."""

    type: Literal["replace"] = "replace"


class Mask(Strict):
    """Keep the last `keep_last` characters (never more than half), mask the letters and digits
    before them and keep separators: `**** **** **** 1111`."""

    type: Literal["mask"] = "mask"
    keep_last: int = Field(default=4, ge=0, le=16)
    char: str = Field(default="*", min_length=1, max_length=1)


class Hash(Strict):
    """A keyed HMAC token `[HASH:<key id>:<token>]`: the same value gives the same token under the
    same key, so analysts can still join. `key_id`, when given, is the id of the key the
    deployment must run with; a worker holding another key fails closed (`policy_error`)."""

    type: Literal["hash"] = "hash"
    length: int = Field(default=16, ge=8, le=64)
    key_id: str | None = Field(default=None, min_length=1)


class Remove(Strict):
    """Remove the whole field that holds the value (a list item becomes null, keeping indices)."""

    type: Literal["remove"] = "remove"


class Drop(Strict):
    """Replace the whole value with `[REDACTED]`."""

    type: Literal["drop"] = "drop"


Operator = Annotated[Replace | Mask | Hash | Remove | Drop, Field(discriminator="type")]
SpanOperator = Replace | Mask | Hash
WholeOperator = Remove | Drop
OPERATOR_NAMES = ("replace", "mask", "hash", "remove", "drop")


def operator_shorthand(value: Any) -> Any:
    """Allow `operator: replace` as well as `operator: {type: mask, keep_last: 4}`."""
    return {"type": value} if isinstance(value, str) else value
