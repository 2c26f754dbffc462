"""Conditions on an action result, shared by output rules, field rules, sampling and routing."""

from __future__ import annotations

import enum

from pydantic import Field

from policies.action_result import ActionResult
from policies.base import Strict
from policies.glob import any_glob


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


def match_facts(result: ActionResult) -> tuple[object, ...]:
    """Everything of `result` that `matches` reads (never its output): two results with equal
    facts meet the same conditions."""
    return (result.action, result.agent_id, result.risk_tags, result.audience,
            result.confidence, result.anomaly_score, result.retry_count, result.amount_usd,
            result.affected_users)


def matches(match: Match, result: ActionResult) -> bool:
    if match.actions and not any_glob(match.actions, result.action):
        return False
    if match.agents and not any_glob(match.agents, result.agent_id):
        return False
    if match.risk_tags and not any(tag in match.risk_tags for tag in result.risk_tags):
        return False
    if match.audience:
        audience = Audience(result.audience) if result.audience else Audience.UNSPECIFIED
        if audience not in match.audience:
            return False
    return _signals_hold(match, result)


def _signals_hold(match: Match, result: ActionResult) -> bool:
    if match.confidence_below is not None and not _below(result.confidence,
                                                         match.confidence_below):
        return False
    if match.anomaly_score_above is not None and not _above(result.anomaly_score,
                                                            match.anomaly_score_above):
        return False
    if match.retry_count_above is not None and not _above(result.retry_count,
                                                          match.retry_count_above):
        return False
    if match.amount_usd_above is not None and not _above(result.amount_usd,
                                                         match.amount_usd_above):
        return False
    return match.affected_users_above is None or _above(result.affected_users,
                                                         match.affected_users_above)


def _below(value: float | None, threshold: float) -> bool:
    return value is not None and value < threshold


def _above(value: float | None, threshold: float) -> bool:
    return value is not None and value > threshold
