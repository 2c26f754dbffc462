"""The `autonomy` section: levels 0-3 and the evidence that earns or loses them (issue 8)."""

from __future__ import annotations

import itertools
from typing import Literal

from pydantic import Field, field_validator, model_validator

from policies.base import Strict
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


class Level(Strict):
    level: int = Field(ge=0, le=3)
    name: str
    description: str = ""
    promotion: Promotion | None = None

    @model_validator(mode="after")
    def _named_and_earned(self) -> Level:
        if self.name != LEVEL_NAMES[self.level]:
            raise ValueError(f"level {self.level} is called {LEVEL_NAMES[self.level]!r}")
        if self.level == 0 and self.promotion is not None:
            raise ValueError("level 0 is where agents start; it has no promotion criteria")
        if self.level > 0 and self.promotion is None:
            raise ValueError(f"level {self.level} needs promotion criteria")
        return self


class Demotion(Strict):
    """Immediate on a policy violation or safety incident; otherwise when the error rate's lower
    confidence bound is above `error_rate_above` (not on one unlucky review)."""

    error_rate_above: float = Field(gt=0.0, lt=1.0)
    confidence: float = Field(default=0.95, ge=0.5, lt=1.0)
    on_policy_violation: Literal[True] = True
    on_safety_incident: Literal[True] = True


class AutonomyPolicy(Strict):
    levels: tuple[Level, ...]
    initial_level: int = Field(default=0, ge=0, le=3)
    demotion: Demotion

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
