"""Records of an aborted transaction never count. The worker writes its review items and
quarantine holds in Kafka transactions, the review service its verdicts; one that aborts (a
failed commit, a fenced instance) is written again by the retry. Their consumers must act only
on what was committed: an aborted item queued for reviewers, or an aborted hold released by a
verdict, would put a result before people (or downstream) that the gate never finished
deciding; an aborted verdict counted by the scorer would move an agent's autonomy level.
(The other readers, the audit sink, `audit verify`, `autonomy show` and the worker's
followers, are plain aiokafka consumers created `read_committed`.)"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from streams.config import Topics
from streams.review.client import ReviewApiError
from streams.signing import RecordKind
from tests.integration.test_autonomy import (  # start_scorer: a fixture used below
    ScorerFactory,
    start_scorer,  # noqa: F401
    verdict,
    wait_for,
)
from tests.kafka_io import produce_in_transaction
from tests.review_service import ServiceFactory, quarantine_record, review_item, write_policy

pytestmark = pytest.mark.integration


def test_the_review_service_never_acts_on_an_aborted_transaction(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path))
    item, hold = RecordKind.REVIEW_ITEM, RecordKind.QUARANTINE_HOLD
    # Aborted: item 1 with its hold, and the hold of result 3. All in partition 0, before
    # the committed records below, so a service that has read those has read past these.
    produce_in_transaction(kafka_bootstrap, [
        (topics.review, *review_item(1), item),
        (topics.quarantine, *quarantine_record(1), hold),
        (topics.quarantine, *quarantine_record(3), hold),
    ], commit=False, partition=0)
    produce_in_transaction(kafka_bootstrap, [
        (topics.review, *review_item(2), item),
        (topics.review, *review_item(3), item),
        (topics.quarantine, *quarantine_record(2), hold),
    ], commit=True, partition=0)
    client = service.client
    claimed: set[str] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not {"rv-2", "rv-3"} <= claimed:
        claimed |= {e["entry_id"] for e in client.pull("ops-review", "ann")["claimed"]}
        time.sleep(0.2)
    assert claimed == {"rv-2", "rv-3"}  # rv-1 was never committed: never queued
    with pytest.raises(ReviewApiError) as missing:
        client.show("rv-1")
    assert missing.value.status == 404
    # The committed hold of result 2 reaches the service; approving releases it.
    while True:
        try:
            client.decide("rv-2", "approve", reviewer="ann", comment="checked")
            break
        except ReviewApiError as exc:
            assert "not reached the review service" in str(exc)
            assert time.monotonic() < deadline, "the committed hold never reached the service"
            time.sleep(0.2)
    # Result 3's only hold was aborted: nothing is held, so nothing can be released. (Read
    # uncommitted, the service held the aborted output and this approve released it.)
    with pytest.raises(ReviewApiError) as unheld:
        client.decide("rv-3", "approve", reviewer="ann", comment="checked")
    assert unheld.value.status == 409
    assert "not reached the review service" in str(unheld.value)


def test_the_scorer_never_counts_a_verdict_of_an_aborted_transaction(
        kafka_bootstrap: str, topics: Topics, start_scorer: ScorerFactory,  # noqa: F811
        tmp_path: Path) -> None:
    """The review service writes each verdict in a transaction; an aborted one (written again
    by the retry, or never) must not count as a review, let alone as a safety incident."""
    start_scorer(topics, {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
                          "AFTERGUARD_APP_ID": f"afterguard-test-{uuid.uuid4().hex[:8]}",
                          "AFTERGUARD_DATA_DIR": str(tmp_path / "scorer")})
    signed = RecordKind.VERDICT
    # In one partition, the aborted ones first: a scorer that has counted the committed ones
    # has read past them.
    produce_in_transaction(kafka_bootstrap, [
        (topics.verdicts, *verdict(1, severity="safety_incident"), signed),
        *((topics.verdicts, *verdict(n), signed) for n in range(2, 6))],
        commit=False, signed_by="review", partition=0)
    produce_in_transaction(kafka_bootstrap, [
        (topics.verdicts, *verdict(n), signed) for n in range(6, 9)],
        commit=True, signed_by="review", partition=0)
    record = wait_for(kafka_bootstrap, topics.autonomy,
                      lambda r: r.get("totals", {}).get("reviews", 0) >= 3)
    assert record["totals"]["reviews"] == 3 and record["totals"]["incidents"] == 0, record
