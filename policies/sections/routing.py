"""The `routing` section: which reviewer group gets each review item (behaviour: `sampling/`)."""

from __future__ import annotations

from pydantic import Field

from policies.base import EntityName, Identifier, Strict
from policies.conditions import Match


class ReviewerGroup(Strict):
    description: str = ""
    reviewers: tuple[Identifier, ...] = ()


class RouteRule(Strict):
    """Items matching `when` (and holding one of `entities`, when given) go to `group`.
    The first matching rule wins; items no rule matches go to the default group."""

    id: Identifier
    when: Match = Match()
    entities: tuple[EntityName, ...] = ()
    group: Identifier


class RoutingPolicy(Strict):
    groups: dict[Identifier, ReviewerGroup] = Field(min_length=1)
    rules: tuple[RouteRule, ...] = ()
    default_group: Identifier
    escalation_group: Identifier | None = None
