"""A transaction the broker aborted because it outlived the transaction timeout: what a broker
outage longer than the timeout does to the transaction in flight (the broker, back, finds it
open and aborts it), and a long pause of the worker. The broker fences the transaction's
producer as it does when another worker takes the partition over; the worker, still its
group's owner of the partition, must decide the batch again, not leave the partition undecided
until the next rebalance (with static membership and a stable group: never). And a transaction
its client never ends (a commit lost across a broker restart, seen once) must not hold the
worker for ever: once the broker has surely aborted it, the worker gives it up."""

from __future__ import annotations

import json
import signal
import uuid
from collections import Counter
from collections.abc import Callable

import pytest

from streams.config import Topics
from tests.conftest import WorkerFactory
from tests.kafka_io import collect, partitions_held_open, produce, worker_drain
from tests.waiting import wait_for

pytestmark = pytest.mark.integration

RESULTS = 20
# Long enough that the pause below never costs the worker its group membership: the group
# does not rebalance, so nothing but the worker itself can resume the partition.
SESSION_TIMEOUT_MS = 60_000


GROUP = {"AFTERGUARD_GROUP_INSTANCE_ID": "timedout-worker",
         "AFTERGUARD_SESSION_TIMEOUT_MS": str(SESSION_TIMEOUT_MS)}
# The local broker aborts a transaction at its first look (every second) past the timeout:
# a paused worker's transaction is seen held open for a few seconds first; a hung one is
# given up 1 s + two looks after it began.
PAUSED_TRANSACTION_TIMEOUT_MS = "5000"
HUNG_TRANSACTION_TIMEOUT_MS = "1000"


def results() -> list[tuple[bytes, bytes]]:
    return [(f"tt-{i}".encode(), json.dumps({
        "job_id": f"tt-{i}", "agent_id": "agent-tt", "action": "job.support.reply",
        "tenant": "acme", "output": {"step": i}}).encode()) for i in range(RESULTS)]


def test_a_transaction_the_broker_timed_out_is_decided_again_by_its_owner(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory) -> None:
    worker = start_worker(
        topics, AFTERGUARD_APP_ID=f"timedout-{uuid.uuid4().hex[:8]}", **GROUP,
        AFTERGUARD_TRANSACTION_TIMEOUT_MS=PAUSED_TRANSACTION_TIMEOUT_MS,
        # the first batch's outputs are sent, its offsets and commit not: the worker stops
        AFTERGUARD_PAUSE_AT="worker_before_commit")
    produce(kafka_bootstrap, topics.inputs[0], results())
    wait_for(lambda: "stopping this process (SIGSTOP)" in worker.log_text(),
             "the worker did not reach its commit", timeout=120)
    try:
        assert partitions_held_open(kafka_bootstrap, topics.audit), \
            "the batch's audit records are written in the open transaction"
        # The broker aborts the transaction once it is older than its timeout (at its next
        # look): its abort markers release read_committed readers.
        wait_for(lambda: not partitions_held_open(kafka_bootstrap, topics.audit),
                 "the broker did not abort the timed-out transaction", timeout=120)
    finally:
        worker.proc.send_signal(signal.SIGCONT)
    # The worker's commit now fails (ProducerFenced). Still the group's member and owner, it
    # decides the batch again well within its session timeout, with no rebalance to help.
    log = assert_decided_once(kafka_bootstrap, topics, worker.log_text)
    assert "ProducerFenced" in log, "the timed-out transaction's commit was refused"
    assert "another worker owns it now" not in log
    assert log.count("Joined group") == 1, "no rebalance resumed the partition"


def test_a_transaction_its_client_never_ends_is_given_up_once_the_broker_aborted_it(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory) -> None:
    worker = start_worker(
        topics, AFTERGUARD_APP_ID=f"hung-{uuid.uuid4().hex[:8]}", **GROUP,
        AFTERGUARD_TRANSACTION_TIMEOUT_MS=HUNG_TRANSACTION_TIMEOUT_MS,
        # the first batch's outputs are sent; then its transaction is never ended
        AFTERGUARD_HANG_AT="worker_before_commit")
    produce(kafka_bootstrap, topics.inputs[0], results())
    log = assert_decided_once(kafka_bootstrap, topics, worker.log_text)
    assert "hanging here until cancelled" in log and "did not end within" in log
    assert log.count("Joined group") == 1, "no rebalance resumed the partition"


def assert_decided_once(kafka_bootstrap: str, topics: Topics,
                        log_text: Callable[[], str]) -> str:
    """Every result decided and audited once, well within the session timeout (the worker
    resumes on its own: no rebalance helps it); the worker's log."""
    seen = collect(kafka_bootstrap, [topics.released, topics.quarantine, topics.audit],
                   done=lambda s: len(s[topics.audit]) >= RESULTS,
                   timeout=SESSION_TIMEOUT_MS / 1000,
                   drain=worker_drain(topics.inputs, topics.audit))
    decided = Counter(r.job_id for t in (topics.released, topics.quarantine)
                      for r in seen[t])
    audited = Counter(r.job_id for r in seen[topics.audit])
    expected = {f"tt-{i}" for i in range(RESULTS)}
    log = log_text()
    assert set(decided) == expected, (sorted(expected - set(decided)), log[-3000:])
    assert set(decided.values()) == {1} and set(audited) == expected \
        and set(audited.values()) == {1}
    return log
