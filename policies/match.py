"""Whether an action result meets a `when` (policies/conditions.py), for output rules, field
rules, sampling and routing. Compiled (detectors/compiled_build.py): no pydantic model here."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right

from pydantic import BaseModel

from policies.action_result import ActionResult
from policies.conditions import SIGNALS, Match
from policies.glob import any_glob

UNSPECIFIED = "unspecified"  # Audience.UNSPECIFIED: a result that names no audience

# Each signal's thresholds in a policy, sorted (`signal_cuts`), in the order of SIGNALS, which
# is the order of the signals in `match_facts`.
Cuts = tuple[tuple[float, ...], ...]


def match_facts(result: ActionResult, cuts: Cuts | None = None) -> tuple[object, ...]:
    """Everything of `result` that `matches` reads (never its output): two results with equal
    facts meet the same conditions. With `cuts` (`signal_cuts` of the conditions asked
    about), each signal is replaced by where it falls among its thresholds, the only thing
    about it those conditions read (`_cut`): results that differ only by their amount,
    confidence or retries (each its own number) share their facts.

    The facts of the last two results asked about are kept: the decide and sample stages ask
    five times per result about its two views (an `ActionResult` is frozen, so its facts are
    those of its first asking). Each kept entry is one tuple, read and replaced whole, so a
    thread never reads one result's facts for another's."""
    newest = _RECENT[0]
    if newest[0] is result and newest[1] is cuts:
        return newest[2]
    older = _RECENT[1]
    if older[0] is result and older[1] is cuts:
        return older[2]
    # the fields by name from the instance's dict: each attribute of a pydantic model is read
    # through its `__getattr__` hook, a few times the cost of a dict's item
    fields = result.__dict__
    facts = (fields["action"], fields["agent_id"], fields["risk_tags"], fields["audience"],
             fields["confidence"], fields["anomaly_score"], fields["retry_count"],
             fields["amount_usd"], fields["affected_users"])
    if cuts is not None and facts[4:] != _NO_SIGNALS:
        facts = facts[:4] + _cut(facts[4:], cuts)
    _RECENT[1] = newest
    _RECENT[0] = (result, cuts, facts)
    return facts


_NOTHING: tuple[object, Cuts | None, tuple[object, ...]] = (object(), None, ())
# (result, the cuts asked with, its facts): the newest first
_RECENT: list[tuple[object, Cuts | None, tuple[object, ...]]] = [_NOTHING, _NOTHING]
_NO_SIGNALS = (None,) * len(SIGNALS)
_BELOW = tuple(name.endswith("_below") for name in SIGNALS)  # else a condition holds above


def _cut(signals: tuple[object, ...], cuts: Cuts) -> tuple[object, ...]:
    """Each signal as how many of its thresholds a condition holds for: `x_below: t` holds when
    the signal is below t, `x_above: t` when it is above (`_below`, `_above`, and the
    mandatory `amount_usd_above` / `affected_users_above` read the same way), so the
    thresholds a signal is past are a run at one end of the sorted ones, and their count says
    which. None stays None (no condition on a signal holds without it). A value that compares
    with nothing (NaN) is past no threshold, and counts so."""
    return tuple([None if value is None
                  else len(ts) - bisect_right(ts, value) if below else bisect_left(ts, value)
                  for value, ts, below in zip(signals, cuts, _BELOW, strict=True)])


def signal_cuts(*sections: object) -> Cuts | None:
    """Every threshold of each signal (SIGNALS) in `sections`: the conditions (`Match`) found
    in them at any depth, and any other model's field of a signal's name (the sampling
    section's `mandatory.amount_usd_above`...). None when a threshold is not a number that
    sorts (then the facts stay the signals themselves)."""
    found: list[set[float]] = [set() for _ in SIGNALS]
    _collect(sections, found, set())
    cuts: list[tuple[float, ...]] = []
    for thresholds in found:
        if not all(type(t) in (int, float) and not math.isnan(t) for t in thresholds):
            return None  # a threshold that does not sort
        cuts.append(tuple(sorted(thresholds)))
    return tuple(cuts)


def policy_cuts(policy: object) -> Cuts | None:
    """`signal_cuts` of a whole policy (its output, field and result rules, sampling, routing,
    autonomy...), worked out once per policy object: the decide and sample stages key what
    they remember by the same cuts, so `match_facts` keeps one result's facts for both."""
    entry = _POLICY_CUTS.get(id(policy))
    if entry is None or entry[0] is not policy:
        if len(_POLICY_CUTS) >= 8:
            _POLICY_CUTS.clear()
        entry = _POLICY_CUTS[id(policy)] = (policy, signal_cuts(policy))
    return entry[1]


_POLICY_CUTS: dict[int, tuple[object, Cuts | None]] = {}


def _collect(value: object, found: list[set[float]], seen: set[int]) -> None:
    if isinstance(value, BaseModel):
        if id(value) in seen:
            return
        seen.add(id(value))
        fields = type(value).model_fields
        for index, name in enumerate(SIGNALS):
            if name in fields and (threshold := getattr(value, name)) is not None:
                found[index].add(threshold)
        for name in fields:
            _collect(getattr(value, name), found, seen)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            _collect(item, found, seen)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, found, seen)


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
