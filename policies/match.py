"""Whether an action result meets a `when` (policies/conditions.py), for output rules, field
rules, sampling and routing. Compiled (detectors/compiled_build.py): no pydantic model here."""

from __future__ import annotations

from policies.action_result import ActionResult
from policies.conditions import Match
from policies.glob import any_glob

UNSPECIFIED = "unspecified"  # Audience.UNSPECIFIED: a result that names no audience


def match_facts(result: ActionResult) -> tuple[object, ...]:
    """Everything of `result` that `matches` reads (never its output): two results with equal
    facts meet the same conditions.

    The facts of the last two results asked about are kept: the decide and sample stages ask
    five times per result about its two views (an `ActionResult` is frozen, so its facts are
    those of its first asking). Each kept pair is one tuple, read and replaced whole, so a
    thread never reads one result's facts for another's."""
    newest = _RECENT[0]
    if newest[0] is result:
        return newest[1]
    older = _RECENT[1]
    if older[0] is result:
        return older[1]
    facts = (result.action, result.agent_id, result.risk_tags, result.audience,
             result.confidence, result.anomaly_score, result.retry_count, result.amount_usd,
             result.affected_users)
    _RECENT[1] = newest
    _RECENT[0] = (result, facts)
    return facts


_NOTHING: tuple[object, tuple[object, ...]] = (object(), ())
# (result, its facts): the newest first
_RECENT: list[tuple[object, tuple[object, ...]]] = [_NOTHING, _NOTHING]


def matches(match: Match, result: ActionResult) -> bool:
    if match.actions and not any_glob(match.actions, result.action):
        return False
    if match.agents and not any_glob(match.agents, result.agent_id):
        return False
    if match.risk_tags and not any(tag in match.risk_tags for tag in result.risk_tags):
        return False
    # Audience is a str enum: its members equal their values
    if match.audience and (result.audience or UNSPECIFIED) not in match.audience:
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
