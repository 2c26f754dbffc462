"""The `sampling` section: which results humans review after the fact (behaviour: `sampling/`)."""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import Annotated, Any

from pydantic import Field, model_validator

from policies.base import EntityName, Identifier, Probability, Strict
from policies.conditions import Match
from policies.sections.duration import Duration

_SECRET_KEYS = ("secret", "value", "key", "hex", "bytes")


class KeyRef(Strict):
    """Where the sampling key lives: its id (recorded in every sampling record) and an
    environment variable or a file. The policy never holds the secret itself."""

    id: Identifier
    env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    file: str | None = Field(default=None, min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _no_secret(cls, data: Any) -> Any:
        if isinstance(data, dict) and any(k in data for k in _SECRET_KEYS):
            raise ValueError("name the key by id and env or file; a policy never holds the "
                             "secret itself")
        return data

    @model_validator(mode="after")
    def _one_source(self) -> KeyRef:
        if (self.env is None) == (self.file is None):
            raise ValueError("give exactly one of env or file")
        return self


class MandatoryMatcher(Strict):
    """An extra reason to always review: results matching `when` (and holding one of
    `entities`, when given)."""

    id: Identifier
    when: Match = Match()
    entities: tuple[EntityName, ...] = ()
    reason: str = Field(min_length=1)


class FirstTimeLimit(Strict):
    """At most `max_reviews` results per verified identity (policies.claims.verified_identity)
    and `window` are reviewed *because* they are an agent's first time for an action. A first
    time is keyed by the claimed agent id, so a writer that puts a fresh id on every result
    would make every result a mandatory review, which no budget drops: the reviewers' queue
    floods. Past the limit a first time is still decided, audited and marked
    (`first_time_over_limit` in its sampling record; counted in
    `afterguard_first_time_over_limit_total`), and sampled like any other result. A result
    reviewed for another mandatory reason as well does not count towards the limit."""

    max_reviews: int = Field(default=100, ge=0)
    window: Duration = timedelta(hours=1)


class Mandatory(Strict):
    """Results always reviewed, whatever the budget. Quarantined results always are."""

    amount_usd_above: float | None = Field(default=None, ge=0)
    affected_users_above: int | None = Field(default=None, ge=0)
    first_time_agent_action: bool = True
    first_time_limit: FirstTimeLimit = FirstTimeLimit()
    matchers: tuple[MandatoryMatcher, ...] = ()


class Combine(str, enum.Enum):
    """How the weights of several risk tags combine into one."""

    MAX = "max"
    MIN = "min"
    PRODUCT = "product"


class Budget(Strict):
    """At most `max_samples` non-mandatory samples per reviewer group per `window`, and at
    most `max_share_per_agent` of them (rounded up) from any one agent: an agent that adds risk
    tags to its own results (claims only tighten sampling) could otherwise use up the group's
    budget and keep other agents' results out of review. Mandatory items are never dropped."""

    max_samples: int = Field(ge=0)
    window: Duration
    # 0.25: a flooding agent takes at most a quarter, three quarters stay for the others. A
    # group that serves a single agent sets 1.0.
    max_share_per_agent: float = Field(default=0.25, gt=0.0, le=1.0)


Weight = Annotated[float, Field(ge=0.0, le=1000.0)]


class SamplingPolicy(Strict):
    """p = min(1, base_rate x weight); draw = HMAC(key, job_id and policy snapshot) in [0, 1)."""

    key: KeyRef
    base_rate: Probability
    weights: dict[str, Weight] = Field(default_factory=dict)
    default_weight: Weight = 1.0
    combine: Combine = Combine.MAX
    mandatory: Mandatory = Mandatory()
    budgets: dict[Identifier, Budget] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_matcher_ids(self) -> SamplingPolicy:
        ids = [m.id for m in self.mandatory.matchers]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"mandatory matcher id {duplicated[0]!r} is used twice")
        return self
