"""Trusted context: what the deployment knows about a result's audience, risk and size from
where it came (its input topic, which only that agent may write) and who wrote it (`agent_id`),
as opposed to what the agent claims in its own record.

A binding applies to every result from a matching input topic and agent; the result is treated
as at least as strictly as its bindings say, and the agent's own claims (`audience`,
`risk_tags`, `amount_usd`, `affected_users`) can only make that stricter (policies/claims.py).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from policies.base import Identifier, Strict


class Binding(Strict):
    """Audience, risk tags and floors for the results of some topics and agents (globs; a field
    left empty matches any topic or agent)."""

    id: Identifier
    topics: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    audience: Literal["internal", "customer"] | None = None
    risk_tags: tuple[str, ...] = ()
    # The result is treated as at least this large, whatever it reports (or when it reports none).
    amount_usd_at_least: float | None = Field(default=None, ge=0.0)
    affected_users_at_least: int | None = Field(default=None, ge=0)
    reason: str = ""

    @model_validator(mode="after")
    def _binds_something(self) -> Binding:
        if (self.audience is None and not self.risk_tags and self.amount_usd_at_least is None
                and self.affected_users_at_least is None):
            raise ValueError("a binding needs audience, risk_tags, amount_usd_at_least or "
                             "affected_users_at_least")
        if self.audience == "internal" and not self.topics:
            raise ValueError("audience internal relaxes treatment, so it must be bound to input "
                             "topics: an agent id is the agent's own claim and another agent "
                             "could borrow it")
        return self


class Identity(Strict):
    """Which agents write which input topics (globs, both required), and optionally which
    actions they perform there (globs) and for which tenant. A result read from a topic that
    identities name must match one of them: `agent_id`, `action` and `tenant` are the agent's
    own claims, and without this any agent could borrow another's id and with it that agent's
    autonomy level (less review), first-time marks and review record (whose errors would then
    demote the other agent), name a write `job.x.read` to fall outside a level's reviewed
    scope, or name another tenant (or none) so that the other tenant's rows are not
    cross-tenant data. The topic is what Kafka's ACLs bind to a principal."""

    id: Identifier
    topics: tuple[str, ...] = Field(min_length=1)
    agents: tuple[str, ...] = Field(min_length=1)
    actions: tuple[str, ...] = ()  # empty: any action
    # a result naming no tenant is decided as this one's (the identifier format of metadata)
    tenant: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
    reason: str = ""


class TrustPolicy(Strict):
    bindings: tuple[Binding, ...] = ()
    identities: tuple[Identity, ...] = ()
