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


def made(entity: str, path: str, start: int, end: int, score: float,
          detector: str) -> Finding:
    """`Finding(entity=…, path=…, start=…, end=…, score=…, detector=…)`, made as pydantic's
    own copy makes one when every value is of its field's exact type (what the detectors make:
    validation would give each back as it is, and cost a detector's match ~1.5 µs); any other
    value (an int score, a subclass) goes through the validation. The state is what the
    validation leaves: the fields in their order, `on_key` at its default and not among the
    fields set (tests/unit/detectors/test_finding_made.py)."""
    if (type(start) is not int or type(end) is not int or type(score) is not float
            or type(entity) is not str or type(path) is not str or type(detector) is not str):
        return Finding(entity=entity, path=path, start=start, end=end, score=score,
                       detector=detector)
    finding = _NEW(Finding)
    _SET(finding, "__dict__", {"entity": entity, "path": path, "start": start, "end": end,
                               "score": score, "detector": detector, "on_key": False})
    _SET(finding, "__pydantic_extra__", None)
    _SET(finding, "__pydantic_fields_set__", set(_SIX))
    _SET(finding, "__pydantic_private__", None)
    return finding


_NEW, _SET = object.__new__, object.__setattr__
_SIX = frozenset(("entity", "path", "start", "end", "score", "detector"))
