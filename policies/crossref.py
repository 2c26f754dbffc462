"""Checks across sections that one field alone cannot make: ids are unique, every group named
anywhere is a routing group, escalations have somewhere to go."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.decision import Decision
from policies.model import Policy
from policies.sections.review import TimeoutAction

Problem = tuple[tuple[Any, ...], str]  # (location of the field, message)


def problems(policy: Policy) -> list[Problem]:
    return [*_unique_ids(policy), *_routing(policy), *_sampling(policy), *_review(policy),
            *_signals_only_tighten(policy)]


def _unique_ids(policy: Policy) -> Iterator[Problem]:
    seen: set[str] = set()
    ids: list[tuple[Any, ...]] = [("rules", i, r.id) for i, r in enumerate(policy.rules)]
    ids += [("field_rules", i, r.id) for i, r in enumerate(policy.field_rules)]
    ids += [("result_rules", i, r.id) for i, r in enumerate(policy.result_rules)]
    ids += [("trust", "bindings", i, b.id)
            for i, b in enumerate(policy.trust.bindings if policy.trust else ())]
    ids += [("trust", "identities", i, b.id)
            for i, b in enumerate(policy.trust.identities if policy.trust else ())]
    for *where, rule_id in ids:
        if rule_id in seen:
            yield (*where, "id"), f"rule id {rule_id!r} is used twice"
        seen.add(rule_id)
    if policy.routing is not None:
        route_ids: set[str] = set()
        for index, route in enumerate(policy.routing.rules):
            if route.id in route_ids:
                yield ("routing", "rules", index, "id"), f"route id {route.id!r} is used twice"
            route_ids.add(route.id)


def _unknown(group: str, groups: dict[str, Any]) -> str:
    return f"{group!r} is not a reviewer group under routing.groups ({', '.join(sorted(groups))})"


def _routing(policy: Policy) -> Iterator[Problem]:
    routing = policy.routing
    if routing is None:
        return
    for index, route in enumerate(routing.rules):
        if route.group not in routing.groups:
            yield ("routing", "rules", index, "group"), _unknown(route.group, routing.groups)
    for name in ("default_group", "escalation_group"):
        group = getattr(routing, name)
        if group is not None and group not in routing.groups:
            yield ("routing", name), _unknown(group, routing.groups)


def _sampling(policy: Policy) -> Iterator[Problem]:
    if policy.sampling is None:
        return
    if policy.routing is None:
        yield ("sampling",), "sampled items need reviewer groups: add a routing section"
        return
    for group in policy.sampling.budgets:
        if group not in policy.routing.groups:
            yield ("sampling", "budgets", group), _unknown(group, policy.routing.groups)


def _review(policy: Policy) -> Iterator[Problem]:
    review = policy.review
    if review is None:
        return
    if policy.routing is None:
        yield ("review",), "a review queue needs reviewer groups: add a routing section"
        return
    if policy.routing.escalation_group is not None:
        return
    yield ("review", "escalate_after"), "escalation needs routing.escalation_group"
    for risk in ("high", "medium", "low"):
        if getattr(review.timeouts, risk).action is TimeoutAction.ESCALATE:
            yield (("review", "timeouts", risk, "action"),
                   "a timeout that escalates needs routing.escalation_group")


def _signals_only_tighten(policy: Policy) -> Iterator[Problem]:
    """An agent reports its own confidence, anomaly score, retries, amount and affected users:
    a rule may use them to be stricter, never to release (an `allow` that depends on one would
    let the agent pick its own treatment)."""
    for index, rule in enumerate(policy.rules):
        if rule.decision is Decision.ALLOW and rule.when.signals():
            yield (("rules", index, "when"),
                   (f"an allow rule cannot depend on the agent's own signals "
                    f"({', '.join(rule.when.signals())}): they may only tighten treatment"))
