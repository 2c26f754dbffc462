"""Issue 13, part 5, through the real broker and review API: no verdict is lost, none is given
twice, and nothing is released without its audit record.

- A verdict whose audit record the evidence contract rejects is not given (nothing released).
- A verdict whose transaction fails leaves the queue as it was: the retry is recorded once.
- The service killed (-9) at each step of a verdict: after a restart every verdict given is on
  the verdicts topic once, audited once, and its result released once, as a read_committed
  consumer sees them.
- A verdict whose commit landed but whose answer never came (a transaction given up after the
  transaction timeout): the reviewer is told it was given, and it is given once.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from streams.audit.verify import Entry, verify
from streams.config import Topics
from streams.review.client import ReviewApiError
from streams.signing import RecordKind
from tests.kafka_io import Record, collect, produce, set_max_message_bytes
from tests.review_service import (
    ReviewService,
    ServiceFactory,
    quarantine_record,
    queued,
    review_item,
    write_policy,
)

pytestmark = pytest.mark.integration
CRASH_AT = "AFTERGUARD_CRASH_AT"
HANG_AT = "AFTERGUARD_HANG_AT"


def decide(service: ReviewService, item_id: str, reviewer: str, verdict: str = "approve",
           timeout: float = 60.0) -> Any:
    """Decide once the item is claimed and its quarantined result has reached the service."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return service.client.decide(item_id, verdict, reviewer, comment=None
                                         if verdict == "approve" else "not released")
        except ReviewApiError as exc:
            if time.monotonic() > deadline:
                raise
            if "not reached the review service" in str(exc):
                time.sleep(0.3)
            elif "pull it first" in str(exc):
                service.client.pull("ops-review", reviewer)
            else:
                raise


def pull_until(service: ReviewService, group: str, reviewer: str, count: int) -> None:
    claimed: list[str] = []
    deadline = time.monotonic() + 60
    while len(claimed) < count and time.monotonic() < deadline:
        claimed += [e["entry_id"] for e in service.client.pull(group, reviewer)["claimed"]]
        time.sleep(0.3)
    assert len(claimed) == count, claimed


def committed(kafka_bootstrap: str, topics: Topics, verdicts: int) -> dict[str, list[Record]]:
    return collect(kafka_bootstrap, [topics.verdicts, topics.review_audit, topics.released,
                                     topics.deadletter],
                   done=lambda s: len(s[topics.verdicts]) >= verdicts, timeout=60, settle=3)


def chain_intact(records: list[Record]) -> None:
    reports = verify(Entry(r.partition, r.offset, r.value) for r in records)
    assert not [p for r in reports.values() for p in r.problems]


def unfit_item(n: int) -> tuple[bytes, bytes]:
    """A review item whose policy snapshot lacks its hash: its verdict's audit record fails the
    evidence contract (reviewer ids that would fail it cannot sign in: test_review_console_api)."""
    key, value = review_item(n)
    return key, json.dumps({**json.loads(value), "policy_snapshot": "2026.11.1"}).encode()


def test_a_verdict_the_evidence_contract_rejects_releases_nothing(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path))
    produce(kafka_bootstrap, topics.review, [
        unfit_item(1), unfit_item(2), review_item(3, group="security-team")],
            sign=("worker", RecordKind.REVIEW_ITEM))
    produce(kafka_bootstrap, topics.quarantine, [quarantine_record(n) for n in (1, 2, 3)],
            sign=("worker", RecordKind.QUARANTINE_HOLD))
    pull_until(service, "ops-review", "ann", 2)
    with pytest.raises(ReviewApiError) as refused:
        decide(service, "rv-1", "ann")
    assert refused.value.status == 422 and "evidence contract" in str(refused.value)
    with pytest.raises(ReviewApiError):  # a rejection is refused the same way
        decide(service, "rv-2", "ann", "reject")
    assert service.client.show("rv-1")["outcome"] is None, "the item is still undecided"
    pull_until(service, "security-team", "ann", 1)
    decide(service, "rv-3", "ann")
    seen = committed(kafka_bootstrap, topics, 1)
    assert [r.json()["approver_id"] for r in seen[topics.verdicts]] == ["ann"]
    assert [r.json()["job_id"] for r in seen[topics.released]] == ["job-3"]
    assert [r.json()["approver_id"] for r in seen[topics.review_audit]] == ["ann"]
    letters = [r.json() for r in seen[topics.deadletter]]
    assert [letter["error"] for letter in letters] == ["evidence_contract"] * 2


def test_a_verdict_whose_transaction_fails_is_not_lost(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path))
    queued(kafka_bootstrap, topics, service, [1])
    # Every verdict is refused (the transaction markers, under 100 bytes, still fit).
    set_max_message_bytes(kafka_bootstrap, topics.verdicts, 300)
    try:
        with pytest.raises(ReviewApiError):
            decide(service, "rv-1", "ann")
    finally:
        set_max_message_bytes(kafka_bootstrap, topics.verdicts, 1_048_588)
    result = decide(service, "rv-1", "ann")  # the item is still claimed: the retry counts
    assert result["released"] is True
    seen = committed(kafka_bootstrap, topics, 1)
    assert len(seen[topics.verdicts]) == 1
    assert [r.json()["job_id"] for r in seen[topics.released]] == ["job-1"]
    assert len(seen[topics.review_audit]) == 1
    chain_intact(seen[topics.review_audit])


@pytest.mark.parametrize("step", ["before_transaction", "before_commit", "after_commit"])
def test_a_verdict_survives_a_kill_at_each_step(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        step: str) -> None:
    policy = write_policy(tmp_path)
    service = start_review(topics, policy, **{CRASH_AT: step})
    queued(kafka_bootstrap, topics, service, [1, 2])
    with pytest.raises(ReviewApiError) as died:
        decide(service, "rv-1", "ann")
    assert died.value.status == 0, "the service died in the middle of the verdict"
    assert service.process.proc.wait(30) == -9
    env = {k: v for k, v in service.env.items() if k != CRASH_AT}
    service = start_review(topics, policy, env=env)
    if step == "after_commit":  # the verdict was given: the restarted service knows it
        with pytest.raises(ReviewApiError) as again:
            decide(service, "rv-1", "ann")
        assert again.value.status == 409 and "already decided: approve by ann" in \
            str(again.value)
    else:  # it was not: the reviewer gives it again
        assert decide(service, "rv-1", "ann")["released"] is True
    assert decide(service, "rv-2", "ann", "reject")["released"] is False
    seen = committed(kafka_bootstrap, topics, 2)
    verdicts = [r.json() for r in seen[topics.verdicts]]
    assert sorted(v["item_id"] for v in verdicts) == ["rv-1", "rv-2"], "each verdict once"
    audited = [r.json() for r in seen[topics.review_audit]]
    assert sorted(a["event_id"] for a in audited) == sorted(v["verdict_id"] for v in verdicts)
    assert [r.json()["job_id"] for r in seen[topics.released]] == ["job-1"], "released once"
    chain_intact(seen[topics.review_audit])


def test_a_verdict_whose_commit_answer_never_comes_is_given_once(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """Before: the service waited for the answer for ever, holding every later verdict and
    tick; given up without asking whether the commit landed, it would have told the reviewer
    "nothing was released; try again", and the retry would have released the result twice."""
    service = start_review(topics, write_policy(tmp_path),
                           # its commit goes through, then the transaction is never ended
                           **{HANG_AT: "after_commit",
                              "AFTERGUARD_TRANSACTION_TIMEOUT_MS": "1000"})
    queued(kafka_bootstrap, topics, service, [1, 2])
    service.client.timeout_s = 90  # the transaction is given up after 3 s (1 s + 2 looks)
    assert decide(service, "rv-1", "ann")["released"] is True
    assert "hanging here until cancelled" in service.process.log_text()
    assert decide(service, "rv-2", "ann", "reject")["released"] is False
    seen = committed(kafka_bootstrap, topics, 2)
    assert sorted(r.json()["item_id"] for r in seen[topics.verdicts]) == ["rv-1", "rv-2"]
    assert [r.json()["job_id"] for r in seen[topics.released]] == ["job-1"], "released once"
    assert len(seen[topics.review_audit]) == 2
    chain_intact(seen[topics.review_audit])


def test_a_verdict_whose_outcome_cannot_be_read_is_given_once_on_retry(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """Before: a commit that landed, whose answer never came, was checked against the review
    audit topic; with the broker away at that moment (AFTERGUARD_FAIL_AT=landed_check) the
    reviewer was told "nothing was released; try again", and the retry released the result
    a second time. Now the service holds that verdict's outcome as unknown, decides nothing
    else until it can read it, and answers the retry with the first attempt's outcome."""
    service = start_review(topics, write_policy(tmp_path),
                           **{HANG_AT: "after_commit", "AFTERGUARD_FAIL_AT": "landed_check",
                              "AFTERGUARD_TRANSACTION_TIMEOUT_MS": "1000"})
    queued(kafka_bootstrap, topics, service, [1, 2])
    service.client.timeout_s = 90  # the transaction is given up after 3 s (1 s + 2 looks)
    with pytest.raises(ReviewApiError) as unknown:
        decide(service, "rv-1", "ann")
    assert unknown.value.status == 503, unknown.value
    retried = decide(service, "rv-1", "ann")  # the broker answers again
    assert retried["released"] is True and retried["verdict"]["approver_id"] == "ann"
    with pytest.raises(ReviewApiError) as again:
        decide(service, "rv-1", "ann")
    assert again.value.status == 409 and "already decided: approve by ann" in str(again.value)
    assert decide(service, "rv-2", "ann", "reject")["released"] is False
    seen = committed(kafka_bootstrap, topics, 2)
    assert sorted(r.json()["item_id"] for r in seen[topics.verdicts]) == ["rv-1", "rv-2"]
    assert [r.json()["job_id"] for r in seen[topics.released]] == ["job-1"], "released once"
    assert len(seen[topics.review_audit]) == 2
    chain_intact(seen[topics.review_audit])
