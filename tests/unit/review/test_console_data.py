"""The console's data without a service: a claim given back, and the trends over time."""

from __future__ import annotations


def test_a_claim_given_back_is_open_to_the_group_again() -> None:
    from datetime import UTC, datetime

    from sampling.record import ReviewItem
    from streams.review.claim_release import release_claim
    from streams.review.entry import QueueEntry, Status
    from streams.review.state import QueueState, Refusal
    from tests.review_service import review_item

    now = datetime.now(UTC)
    item = ReviewItem.model_validate_json(review_item(1)[1])
    state = QueueState.in_memory()
    state.entries["rv-1"] = QueueEntry(entry_id="rv-1", item=item, group="ops-review",
                                       enqueued_at=now, status=Status.CLAIMED,
                                       claimed_by="ann", claimed_at=now)
    assert isinstance(refused := release_claim(state, "rv-1", "bob", now), Refusal)
    assert refused.status == 409 and state.entries["rv-1"].claimed_by == "ann"
    opened = release_claim(state, "rv-1", "ann", now)
    assert isinstance(opened, QueueEntry) and opened.status is Status.OPEN
    assert opened.claimed_by is None and state.entries["rv-1"] == opened
    assert isinstance(release_claim(state, "rv-1", "ann", now), Refusal), "not claimed now"


def test_trends_count_waits_per_hour_load_and_second_review_disagreement() -> None:
    from datetime import UTC, datetime, timedelta

    from sampling.record import ReviewItem
    from sampling.verdict import VerdictKind
    from streams.review.entry import Outcome, QueueEntry, Status
    from streams.review.review_trends import trends
    from tests.review_service import review_item

    now = datetime(2026, 11, 27, 12, 30, tzinfo=UTC)
    item = ReviewItem.model_validate_json(review_item(1)[1])

    def decided(entry_id: str, by: str, verdict: VerdictKind, waited_s: float,
                first: str | None = None, automatic: bool = False) -> QueueEntry:
        at = now - timedelta(minutes=5)
        return QueueEntry(entry_id=entry_id, item=item, group="ops-review",
                          status=Status.DECIDED, enqueued_at=at - timedelta(seconds=waited_s),
                          first_reviewer=first, second_review_of="v" if first else None,
                          outcome=Outcome(verdict_id=entry_id, verdict=verdict, approver_id=by,
                                          automatic=automatic, decided_at=at))

    got = trends([decided("a", "ann", VerdictKind.APPROVE, 60),
                  decided("a-2nd", "bob", VerdictKind.REJECT, 120, first="ann"),
                  decided("b-2nd", "bob", VerdictKind.APPROVE, 30, first="cy"),
                  decided("c", "afterguard-timeout", VerdictKind.APPROVE, 7200,
                          automatic=True)], now)
    [hour] = got["waits"]["ops-review"]
    assert hour["items"] == 4 and hour["median_s"] == 60 and hour["p95_s"] == 7200
    assert got["verdicts_per_reviewer"] == {"bob": 2, "ann": 1}
    assert got["second_review"]["reviews"] == 2 and got["second_review"]["disagreed"] == 1
    assert got["second_review"]["by_first_reviewer"]["ann"] == {"reviews": 1, "disagreed": 1}
