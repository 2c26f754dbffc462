"""The review queue's policy through a real broker: escalation on age, timeouts by risk,
second review by a different reviewer, concurrent pulls, and open claims kept over a restart
of the service. Durations come from a test policy (seconds, not hours)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from streams.config import Topics
from streams.review.client import ReviewApiError
from tests.kafka_io import Record, collect, produce
from tests.review_service import (
    SIGNED_HOLD,
    SIGNED_ITEM,
    ReviewerClients,
    ServiceFactory,
    quarantine_record,
    review_item,
    write_policy,
)

pytestmark = pytest.mark.integration


def values(records: list[Record]) -> list[dict[str, Any]]:
    return [r.json() for r in records]


def pull_until(client: ReviewerClients, group: str, reviewer: str, count: int,
               timeout: float = 30.0) -> list[str]:
    """Pull until `count` items are claimed in all (the service may still be consuming)."""
    claimed: list[str] = []
    deadline = time.monotonic() + timeout
    while len(claimed) < count and time.monotonic() < deadline:
        claimed += [e["entry_id"] for e in client.pull(group, reviewer)["claimed"]]
        time.sleep(0.2)
    return claimed


def wait_queued(client: ReviewerClients, count: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while client.health()["entries"] < count:
        assert time.monotonic() < deadline, "items never reached the queue"
        time.sleep(0.2)


def test_items_escalate_on_age_logged_in_the_audit_trail(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path, escalate_after="2s"))
    produce(kafka_bootstrap, topics.review, [review_item(1, decision="REDACT")],
            sign=SIGNED_ITEM)
    assert pull_until(service.client, "ops-review", "ann", 1) == ["rv-1"]
    seen = collect(kafka_bootstrap, [topics.review_audit],
                   done=lambda s: len(s[topics.review_audit]) >= 1, timeout=30)
    [escalation] = values(seen[topics.review_audit])
    assert escalation["event_type"] == "escalation"
    assert escalation["payload"]["from_group"] == "ops-review"
    assert escalation["payload"]["to_group"] == "review-leads"
    assert escalation["payload"]["released_claim_of"] == "ann"
    with pytest.raises(ReviewApiError) as refused:
        service.client.decide("rv-1", "approve", "ann")
    assert refused.value.status == 409 and "moved to group 'review-leads'" in str(refused.value)
    assert pull_until(service.client, "review-leads", "lee", 1) == ["rv-1"]
    assert service.client.decide("rv-1", "approve", "lee")["released"] is False  # not held


def test_timeouts_by_risk(kafka_bootstrap: str, topics: Topics,
                          start_review: ServiceFactory, tmp_path: Path) -> None:
    timeouts = {"high": {"after": "2s", "action": "auto-reject"},
                "medium": {"after": "2s", "action": "escalate"},
                "low": {"after": "2s", "action": "auto-approve"}}
    start_review(topics, write_policy(tmp_path, timeouts=timeouts))
    produce(kafka_bootstrap, topics.review, [
        review_item(1, tags=("financial",)), review_item(2, tags=("prod",)),
        review_item(3, decision="REDACT"), review_item(4)], sign=SIGNED_ITEM)
    produce(kafka_bootstrap, topics.quarantine, [quarantine_record(n) for n in (1, 2, 4)],
        sign=SIGNED_HOLD)
    seen = collect(kafka_bootstrap, [topics.verdicts, topics.review_audit, topics.released],
                   done=lambda s: len(s[topics.review_audit]) >= 4, timeout=40)
    verdicts = {v["job_id"]: v for v in values(seen[topics.verdicts])}
    assert {j: v["verdict"] for j, v in verdicts.items()} == {"job-1": "reject",
                                                              "job-3": "approve"}
    assert all(v["automatic"] and v["approver_id"] == "afterguard-timeout"
               for v in verdicts.values())
    escalated = {a["job_id"]: a["payload"]["reason"] for a in values(seen[topics.review_audit])
                 if a["event_type"] == "escalation"}
    assert escalated == {"job-2": "timeout", "job-4": "timeout"}, \
        "medium escalates; a quarantined low-risk item escalates rather than auto-approving"
    assert seen[topics.released] == [], "no timeout ever releases a quarantined result"


def test_second_review_by_a_different_reviewer(kafka_bootstrap: str, topics: Topics,
                                               start_review: ServiceFactory,
                                               tmp_path: Path) -> None:
    fatigue = {"cooldown_after_approvals": 25, "cooldown": "10m", "second_review_rate": 1.0}
    service = start_review(topics, write_policy(tmp_path, fatigue=fatigue))
    produce(kafka_bootstrap, topics.review, [review_item(1)], sign=SIGNED_ITEM)
    produce(kafka_bootstrap, topics.quarantine, [quarantine_record(1)], sign=SIGNED_HOLD)
    client = service.client
    assert pull_until(client, "ops-review", "ann", 1) == ["rv-1"]
    first = client.decide("rv-1", "approve", "ann")
    assert first["second_review"] == "rv-1-2nd" and first["released"] is False
    assert client.pull("ops-review", "ann")["claimed"] == [], "never your own approval"
    with pytest.raises(ReviewApiError) as own:
        client.decide("rv-1-2nd", "approve", "ann")
    assert own.value.status == 409
    assert pull_until(client, "ops-review", "bob", 1) == ["rv-1-2nd"]
    second = client.decide("rv-1-2nd", "approve", "bob")
    assert second["released"] is True
    assert second["verdict"]["second_review_of"] == first["verdict"]["verdict_id"]
    seen = collect(kafka_bootstrap, [topics.released],
                   done=lambda s: len(s[topics.released]) >= 1)
    assert [r["job_id"] for r in values(seen[topics.released])] == ["job-1"]


def test_concurrent_pulls_never_share_an_item(kafka_bootstrap: str, topics: Topics,
                                              start_review: ServiceFactory,
                                              tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path, max_open_per_reviewer=5))
    produce(kafka_bootstrap, topics.review, [review_item(n) for n in range(30)], sign=SIGNED_ITEM)
    wait_queued(service.client, 30)
    reviewers = [f"r{n}" for n in range(6)]
    with ThreadPoolExecutor(len(reviewers)) as pool:
        results = list(pool.map(lambda r: pull_until(service.client, "ops-review", r, 5),
                                reviewers))
    claimed = [entry for result in results for entry in result]
    assert len(claimed) == 30 and len(set(claimed)) == 30
    assert all(len(result) == 5 for result in results), "at most the open limit each"


def test_open_claims_survive_a_restart(kafka_bootstrap: str, topics: Topics,
                                       start_review: ServiceFactory, tmp_path: Path) -> None:
    policy = write_policy(tmp_path, max_open_per_reviewer=2)
    service = start_review(topics, policy)
    produce(kafka_bootstrap, topics.review, [review_item(n) for n in (1, 2, 3, 4)],
        sign=SIGNED_ITEM)
    produce(kafka_bootstrap, topics.quarantine, [quarantine_record(n) for n in (1, 2, 3, 4)],
        sign=SIGNED_HOLD)
    wait_queued(service.client, 4)
    assert pull_until(service.client, "ops-review", "ann", 2) == ["rv-1", "rv-2"], "oldest"
    service.client.decide("rv-1", "reject", "ann", comment="not ours")
    assert service.process.stop() == 0

    again = start_review(topics, policy, env=service.env)
    client = again.client
    assert client.show("rv-2")["claimed_by"] == "ann"
    assert [e["entry_id"] for e in client.pull("ops-review", "bob")["claimed"]] == \
        ["rv-3", "rv-4"], "ann's claim and the decided item stay out of the open queue"
    with pytest.raises(ReviewApiError) as decided:
        client.decide("rv-1", "approve", "ann")
    assert "already decided: reject by ann" in str(decided.value)
    assert client.decide("rv-2", "approve", "ann")["released"] is True
    seen = collect(kafka_bootstrap, [topics.released, topics.review_audit],
                   done=lambda s: len(s[topics.review_audit]) >= 2)
    assert [r["job_id"] for r in values(seen[topics.released])] == ["job-2"]
    chain = [a["chain"]["seq"] for a in values(seen[topics.review_audit])]
    assert chain == [1, 2], "the chain resumes after the restart"
