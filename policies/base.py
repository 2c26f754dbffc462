"""Building blocks of every policy model."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Frozen, and unknown keys are errors: a typo in a policy never passes silently."""

    model_config = ConfigDict(frozen=True, extra="forbid")


Identifier = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.-]+$")]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
EntityName = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$", max_length=64)]  # EMAIL_ADDRESS
