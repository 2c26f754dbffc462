"""The input record: the result of one action an agent executed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ActionResult(BaseModel):
    """One executed action's result, as agents publish it (key = `job_id`)."""

    model_config = ConfigDict(frozen=True, extra="allow")

    job_id: str = Field(min_length=1, max_length=256)
    agent_id: str = Field(min_length=1, max_length=256)
    action: str = Field(min_length=1, max_length=512)
    output: Any
    tenant: str | None = None
    risk_tags: tuple[str, ...] = ()
    amount_usd: float | None = None
    affected_users: int | None = Field(default=None, ge=0)
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    # The agent's own signals about this result (issue 18): they can only tighten treatment.
    anomaly_score: float | None = Field(default=None, ge=0.0, le=1.0)
    retry_count: int | None = Field(default=None, ge=0, le=1_000_000)
    audience: Literal["internal", "customer"] | None = None
    executed_at: datetime | None = None
    trace_id: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
