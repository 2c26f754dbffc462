"""Which reviewer group gets a review item: the first matching route rule, else the default."""

from __future__ import annotations

from policies.action_result import ActionResult
from policies.match import matches
from policies.sections.routing import RoutingPolicy

UNROUTED = "ops-review"


def route(result: ActionResult, entities: frozenset[str], routing: RoutingPolicy | None) -> str:
    if routing is None:
        return UNROUTED
    for rule in routing.rules:
        if matches(rule.when, result) and (not rule.entities or entities & set(rule.entities)):
            return rule.group
    return routing.default_group
