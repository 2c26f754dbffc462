"""The queue state the pure core reads and changes: three mappings (dicts in tests, faust
tables in the service) and a refusal value for requests the queue turns down."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from datetime import datetime

from streams.review.draft import Overlay
from streams.review.entry import QueueEntry, ReviewerState, Status
from streams.review.release import HeldResult


@dataclass(frozen=True)
class Refusal:
    """A request the queue turns down: an HTTP status and a message for the reviewer."""

    status: int
    message: str


@dataclass
class QueueState:
    entries: MutableMapping[str, QueueEntry]
    reviewers: MutableMapping[str, ReviewerState]
    held: MutableMapping[str, HeldResult]  # quarantined results by source record (key)

    @classmethod
    def in_memory(cls) -> QueueState:
        return cls({}, {}, {})

    def draft(self) -> QueueState:
        """A state whose changes stay in overlays until `apply_draft`."""
        return QueueState(Overlay(self.entries), Overlay(self.reviewers), Overlay(self.held))

    @staticmethod
    def apply_draft(draft: QueueState) -> None:
        for mapping in (draft.entries, draft.reviewers, draft.held):
            if isinstance(mapping, Overlay):
                mapping.apply()

    def undecided(self) -> Iterator[QueueEntry]:
        return (e for e in list(self.entries.values()) if e.status is not Status.DECIDED)

    def claims_of(self, reviewer: str) -> list[QueueEntry]:
        return sorted((e for e in self.undecided()
                       if e.status is Status.CLAIMED and e.claimed_by == reviewer),
                      key=lambda e: (e.enqueued_at, e.entry_id))

    def touch(self, reviewer: str, now: datetime) -> ReviewerState:
        """The reviewer is active now (claims of a silent reviewer expire)."""
        known = self.reviewers.get(reviewer)
        state = (ReviewerState(reviewer_id=reviewer, last_seen=now) if known is None
                 else known.model_copy(update={"last_seen": now}))
        self.reviewers[reviewer] = state
        return state
