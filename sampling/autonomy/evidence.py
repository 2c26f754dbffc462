"""Review evidence of one (agent, action class): counts per hour, and running totals.

Reviews are kept in hourly buckets so that a window ("the last 14 days") is a sum over buckets
and the state stays small whatever the review volume (at most 24 × the longest review period).
A review counts in a window when its hour starts at or after the window's start.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict

HOUR_S = 3600


def hour_of(at: datetime) -> int:
    """The hour (since the epoch) a timestamp falls in."""
    return int(at.timestamp()) // HOUR_S


class Bucket(BaseModel):
    model_config = ConfigDict(frozen=True)

    hour: int
    reviews: int = 0
    errors: int = 0


class Window(BaseModel):
    """Reviews and errors in [start, now]."""

    model_config = ConfigDict(frozen=True)

    start: datetime
    reviews: int
    errors: int

    @property
    def successful(self) -> int:
        return self.reviews - self.errors


class Totals(BaseModel):
    """Everything ever seen for the pair (never windowed; for the report)."""

    model_config = ConfigDict(frozen=True)

    decisions: int = 0  # results decided by the worker (from the audit stream)
    quarantined: int = 0
    selected_for_review: int = 0
    reviews: int = 0  # human verdicts counted as evidence
    errors: int = 0  # rejected or modified
    confirmed_quarantines: int = 0  # quarantined results the reviewer rejected
    incidents: int = 0  # verdicts flagged policy_violation or safety_incident
    automatic_verdicts: int = 0  # timeouts: not evidence of anything, counted only
    second_reviews: int = 0  # not counted again as evidence (the action was reviewed once)


def add_review(buckets: tuple[Bucket, ...], at: datetime, error: bool, keep_after: datetime
               ) -> tuple[Bucket, ...]:
    """The buckets with one review added at `at`, dropping buckets older than `keep_after`."""
    hour, oldest = hour_of(at), hour_of(keep_after)
    kept = {b.hour: b for b in buckets if b.hour >= oldest}
    if hour >= oldest:
        old = kept.get(hour, Bucket(hour=hour))
        kept[hour] = Bucket(hour=hour, reviews=old.reviews + 1, errors=old.errors + int(error))
    return tuple(kept[h] for h in sorted(kept))


def window(buckets: tuple[Bucket, ...], now: datetime, period: timedelta,
           since: datetime | None) -> Window:
    """The reviews of the last `period`, not before `since` (the last demotion)."""
    start = now - period
    if since is not None and since > start:
        start = since
    first = hour_of(start)
    inside = [b for b in buckets if b.hour >= first]
    return Window(start=start.astimezone(UTC), reviews=sum(b.reviews for b in inside),
                  errors=sum(b.errors for b in inside))
