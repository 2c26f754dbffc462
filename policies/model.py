"""The policy language: a pydantic model of the YAML file platform and security teams review."""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from policies.decision import Decision


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Replace(_Strict):
    """`[REDACTED:EMAIL_ADDRESS]` in place of the value."""

    type: Literal["replace"] = "replace"


class Mask(_Strict):
    """Keep the last `keep_last` characters, mask the rest: `************1111`."""

    type: Literal["mask"] = "mask"
    keep_last: int = Field(default=4, ge=0, le=16)
    char: str = Field(default="*", min_length=1, max_length=1)


class Hash(_Strict):
    """A keyed HMAC token: the same value gives the same token, so joins still work."""

    type: Literal["hash"] = "hash"
    length: int = Field(default=16, ge=8, le=64)


class Remove(_Strict):
    """Remove the whole field that holds the value."""

    type: Literal["remove"] = "remove"


class Drop(_Strict):
    """Replace the whole string value with `[REDACTED]`."""

    type: Literal["drop"] = "drop"


Operator = Annotated[Replace | Mask | Hash | Remove | Drop, Field(discriminator="type")]


def _operator_shorthand(value: Any) -> Any:
    """Allow `operator: replace` as well as `operator: {type: mask, keep_last: 4}`."""
    return {"type": value} if isinstance(value, str) else value


class Audience(str, enum.Enum):
    INTERNAL = "internal"
    CUSTOMER = "customer"


class Match(_Strict):
    """Conditions on the action result; every condition given must hold (empty = any)."""

    actions: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    risk_tags: tuple[str, ...] = ()
    audience: tuple[Audience, ...] = ()


class OutputRule(_Strict):
    """Maps findings to an outcome. The first rule (in file order) that matches a finding wins."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    when: Match = Match()
    entities: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    min_score: float = Field(default=0.0, ge=0.0, le=1.0)
    decision: Decision
    operator: Operator | None = None
    reason: str = Field(min_length=1)

    _shorthand = field_validator("operator", mode="before")(_operator_shorthand)

    @field_validator("decision", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _operator_only_with_redact(self) -> OutputRule:
        if self.decision is Decision.REDACT and self.operator is None:
            raise ValueError("a rule that redacts needs an operator")
        if self.decision is not Decision.REDACT and self.operator is not None:
            raise ValueError(f"operator given but decision is {self.decision.value}")
        return self


class FieldRule(_Strict):
    """Removes or redacts whole fields by path, whatever they hold (e.g. `*.internal_notes`)."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    when: Match = Match()
    paths: tuple[str, ...] = Field(min_length=1)
    operator: Remove | Drop = Remove()
    reason: str = Field(min_length=1)

    _shorthand = field_validator("operator", mode="before")(_operator_shorthand)


class Defaults(_Strict):
    """What happens to a finding no rule covers."""

    decision: Decision = Decision.REDACT
    operator: Operator = Replace()

    _shorthand = field_validator("operator", mode="before")(_operator_shorthand)

    @field_validator("decision", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class Limits(_Strict):
    max_payload_bytes: int = Field(default=1_048_576, gt=0)


class Policy(_Strict):
    """A whole deployment's policy file."""

    version: str = Field(min_length=1, max_length=64)
    name: str = Field(default="policy", min_length=1)
    description: str = ""
    defaults: Defaults = Defaults()
    limits: Limits = Limits()
    rules: tuple[OutputRule, ...] = ()
    field_rules: tuple[FieldRule, ...] = ()
    # Parsed here so that one file describes the whole deployment; modelled in their own issues.
    sampling: dict[str, Any] | None = None
    routing: dict[str, Any] | None = None
    review: dict[str, Any] | None = None
    autonomy: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _unique_rule_ids(self) -> Policy:
        seen: set[str] = set()
        for rule_id in [r.id for r in self.rules] + [r.id for r in self.field_rules]:
            if rule_id in seen:
                raise ValueError(f"rule id {rule_id!r} is used twice")
            seen.add(rule_id)
        return self
