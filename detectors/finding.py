"""What a detector reports: where a sensitive value sits, never the value itself."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Finding(BaseModel):
    """A sensitive value found in one string leaf of a JSON payload.

    `start`/`end` are character offsets inside the string at `path` (a number: inside its
    decimal text); the raw value stays in the payload and is only read back by redaction.
    `on_key`: the value is in the object key of the node at `path`, not in the node.
    """

    model_config = ConfigDict(frozen=True)

    entity: str
    path: str
    start: int
    end: int
    score: float
    detector: str
    on_key: bool = False

    def overlaps(self, other: Finding) -> bool:
        return self.path == other.path and self.start < other.end and other.start < self.end
