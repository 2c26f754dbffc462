"""The `when` of output rules, field rules, result rules, sampling matchers, routing and autonomy
scopes: conditions on an action result. Only the schema; `policies/match.py` evaluates it (a
module of pydantic models is not compiled: pydantic would take a compiled method for a field)."""

from __future__ import annotations

import enum

from pydantic import Field

from policies.base import Strict


class Audience(str, enum.Enum):
    INTERNAL = "internal"
    CUSTOMER = "customer"
    UNSPECIFIED = "unspecified"  # the result names no audience


# The result's own signals, usable in every `when`. An agent reports them itself, so they can
# only make its treatment stricter: a condition on a signal holds only when the signal is present
# and past its threshold, and `policy check` refuses an `allow` that depends on one.
SIGNALS = ("confidence_below", "anomaly_score_above", "retry_count_above", "amount_usd_above",
           "affected_users_above")


class Match(Strict):
    """Every condition given must hold; an empty condition matches anything.

    actions and agents are globs (`job.support.*`); risk_tags match when the result carries any
    of them; audience `unspecified` matches a result that names no audience. The signal
    conditions hold when the result carries the signal and it is past the threshold (strictly
    below / above): `confidence_below: 0.7` holds for confidence 0.69, not for 0.7 nor for a
    result that reports none.
    """

    actions: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    risk_tags: tuple[str, ...] = ()
    audience: tuple[Audience, ...] = ()
    confidence_below: float | None = Field(default=None, gt=0.0, le=1.0)
    anomaly_score_above: float | None = Field(default=None, ge=0.0, lt=1.0)
    retry_count_above: int | None = Field(default=None, ge=0)
    amount_usd_above: float | None = Field(default=None, ge=0.0)
    affected_users_above: int | None = Field(default=None, ge=0)

    def signals(self) -> tuple[str, ...]:
        """The signal conditions this match uses (empty: it depends on no agent signal)."""
        return tuple(name for name in SIGNALS if getattr(self, name) is not None)
