"""The `autonomy` section: levels 0-3 and the evidence that earns or loses them (issue 8)."""

from __future__ import annotations

import itertools
from typing import Literal

from pydantic import Field, field_validator, model_validator

from policies.base import Identifier, Strict
from policies.conditions import Match
from policies.sections.duration import Duration

LEVEL_NAMES = ("supervised", "assisted", "semi-autonomous", "autonomous")


class Promotion(Strict):
    """Evidence needed to reach a level: at least `min_successful_actions` reviewed actions in
    `review_period` whose error rate's upper confidence bound (Clopper-Pearson at `confidence`)
    is below `max_error_rate`, and then a person's sign-off."""

    min_successful_actions: int = Field(ge=1)
    max_error_rate: float = Field(gt=0.0, lt=1.0)
    confidence: float = Field(default=0.95, ge=0.5, lt=1.0)
    review_period: Duration
    human_signoff: Literal[True] = True


class ScopeRule(Strict):
    """Results of an agent at this level that stay reviewed after the fact: those matching `when`
    (the `when` language of output rules) and not matching `unless`."""

    id: Identifier
    when: Match = Match()
    unless: Match | None = None

    @model_validator(mode="after")
    def _unless_trusts_no_signal(self) -> ScopeRule:
        if self.unless is not None and self.unless.signals():
            raise ValueError(f"`unless` cannot use the agent's own signals "
                             f"({', '.join(self.unless.signals())}): they may only tighten review")
        return self

    def covers_all(self, risk_tag: str) -> bool:
        """True when every result carrying `risk_tag` matches this rule, whatever else it holds
        (the rule narrows by nothing else): what the gated-tag guard can prove."""
        narrowing = self.when.model_copy(update={"risk_tags": ()})
        return (self.unless is None and narrowing == Match()
                and (not self.when.risk_tags or risk_tag in self.when.risk_tags))


class Scope(Strict):
    """What a level may do unreviewed: everything but `reviewed`, sampled at the stratified rate
    times `sampling_factor` (below 1: earned autonomy lowers the review volume)."""

    reviewed: tuple[ScopeRule, ...] = ()
    sampling_factor: float = Field(default=1.0, ge=0.0, le=1000.0)


class Level(Strict):
    level: int = Field(ge=0, le=3)
    name: str
    description: str = ""
    promotion: Promotion | None = None
    scope: Scope = Scope()

    @model_validator(mode="after")
    def _named_and_earned(self) -> Level:
        if self.name != LEVEL_NAMES[self.level]:
            raise ValueError(f"level {self.level} is called {LEVEL_NAMES[self.level]!r}")
        if self.level == 0 and self.promotion is not None:
            raise ValueError("level 0 is where agents start; it has no promotion criteria")
        if self.level > 0 and self.promotion is None:
            raise ValueError(f"level {self.level} needs promotion criteria")
        if self.level == 0 and self.scope != Scope():
            raise ValueError("level 0 reviews every result; it has no scope")
        ids = [rule.id for rule in self.scope.reviewed]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"scope rule id {duplicated[0]!r} is used twice in this level")
        return self


class Demotion(Strict):
    """Immediate on a policy violation or safety incident; otherwise when the error rate's lower
    confidence bound is above `error_rate_above` (not on one unlucky review)."""

    error_rate_above: float = Field(gt=0.0, lt=1.0)
    confidence: float = Field(default=0.95, ge=0.5, lt=1.0)
    on_policy_violation: Literal[True] = True
    on_safety_incident: Literal[True] = True


class ActionClassRule(Strict):
    """Actions matching one of `actions` (globs) earn autonomy together as `name`."""

    actions: tuple[str, ...] = Field(min_length=1)
    name: str = Field(min_length=1, max_length=256, pattern=r"^[A-Za-z0-9._*-]+$")


class AutonomyPolicy(Strict):
    levels: tuple[Level, ...]
    initial_level: int = Field(default=0, ge=0, le=3)
    demotion: Demotion
    # First matching rule names the class; unmatched actions drop their last segment.
    action_classes: tuple[ActionClassRule, ...] = ()
    # Results carrying one of these risk tags stay reviewed at every level, no exceptions:
    # each level's scope must provably review them.
    gated_risk_tags: tuple[str, ...] = ()

    @field_validator("levels")
    @classmethod
    def _ordered(cls, levels: tuple[Level, ...]) -> tuple[Level, ...]:
        if [lv.level for lv in levels] != [0, 1, 2, 3]:
            raise ValueError("levels must be 0, 1, 2 and 3, in that order")
        criteria = [lv.promotion for lv in levels if lv.promotion is not None]
        for lower, higher in itertools.pairwise(criteria):
            if higher.min_successful_actions < lower.min_successful_actions:
                raise ValueError("a higher level cannot need fewer successful actions")
            if higher.max_error_rate > lower.max_error_rate:
                raise ValueError("a higher level cannot allow a larger error rate")
        return levels

    @model_validator(mode="after")
    def _no_flapping(self) -> AutonomyPolicy:
        criteria = [lv.promotion for lv in self.levels if lv.promotion is not None]
        loosest = max(c.max_error_rate for c in criteria)
        if self.demotion.error_rate_above <= loosest:
            raise ValueError(f"demotion.error_rate_above ({self.demotion.error_rate_above}) must "
                             f"exceed every promotion max_error_rate ({loosest}), or agents flap")
        return self

    @model_validator(mode="after")
    def _gated_everywhere(self) -> AutonomyPolicy:
        for level in self.levels[1:]:
            for tag in self.gated_risk_tags:
                if not any(rule.covers_all(tag) for rule in level.scope.reviewed):
                    raise ValueError(
                        f"level {level.level} ({level.name}) would let results tagged {tag!r} "
                        f"go unreviewed: gated_risk_tags must stay reviewed at every level; add "
                        f"a scope rule `when: {{risk_tags: [{tag}]}}` with no other condition")
        return self
