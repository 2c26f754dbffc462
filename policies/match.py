"""Conditions on an action result, shared by output rules, field rules, sampling and routing."""

from __future__ import annotations

import enum

from policies.action_result import ActionResult
from policies.base import Strict
from policies.glob import any_glob


class Audience(str, enum.Enum):
    INTERNAL = "internal"
    CUSTOMER = "customer"
    UNSPECIFIED = "unspecified"  # the result names no audience


class Match(Strict):
    """Every condition given must hold; an empty condition matches anything.

    actions and agents are globs (`job.support.*`); risk_tags match when the result carries any
    of them; audience `unspecified` matches a result that names no audience.
    """

    actions: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    risk_tags: tuple[str, ...] = ()
    audience: tuple[Audience, ...] = ()


def matches(match: Match, result: ActionResult) -> bool:
    if match.actions and not any_glob(match.actions, result.action):
        return False
    if match.agents and not any_glob(match.agents, result.agent_id):
        return False
    if match.risk_tags and not set(match.risk_tags) & set(result.risk_tags):
        return False
    audience = Audience(result.audience) if result.audience else Audience.UNSPECIFIED
    return not match.audience or audience in match.audience
