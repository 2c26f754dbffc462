"""The input record: the result of one action an agent executed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Metadata is copied verbatim into released, review and audit records, so it has a strict
# format: an identifier, never free text. A letter or digit, then letters, digits and `. _ : -`
# (no spaces, `@`, `/`, `+`, `=` or anything non-ASCII: no e-mail address, name, sentence, URL
# or base64 blob fits). Anything else sends the record to the dead-letter topic.
IDENTIFIER_CHARACTERS = "A-Z a-z 0-9 . _ : - (starting with a letter or digit)"
_IDENTIFIER = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
MetadataId = Annotated[str, Field(min_length=1, max_length=128, pattern=_IDENTIFIER)]
ActionName = Annotated[str, Field(min_length=1, max_length=256, pattern=_IDENTIFIER)]
RiskTag = Annotated[str, Field(min_length=1, max_length=64, pattern=_IDENTIFIER)]
METADATA_FIELDS = ("job_id", "agent_id", "action", "tenant", "trace_id", "risk_tags")


class ActionResult(BaseModel):
    """One executed action's result, as agents publish it (key = `job_id`)."""

    model_config = ConfigDict(frozen=True, extra="allow")

    job_id: MetadataId
    agent_id: MetadataId
    action: ActionName
    output: Any
    tenant: MetadataId | None = None
    risk_tags: tuple[RiskTag, ...] = Field(default=(), max_length=32)
    amount_usd: float | None = None
    affected_users: int | None = Field(default=None, ge=0)
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    # The agent's own signals about this result (issue 18): they can only tighten treatment.
    anomaly_score: float | None = Field(default=None, ge=0.0, le=1.0)
    retry_count: int | None = Field(default=None, ge=0, le=1_000_000)
    audience: Literal["internal", "customer"] | None = None
    executed_at: datetime | None = None
    trace_id: MetadataId | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
