"""The autonomy scorer after a transaction the broker aborted for outliving the transaction
timeout (what a broker outage longer than the timeout does to the transaction in flight, and a
long pause), and after a transaction its client never ends: the broker fences the scorer's
producer as a second scorer would, and the scorer, the only one, must not stop for good. It
starts its producer again, resumes from the committed offsets and states, and counts every
verdict once: none lost, none twice."""

from __future__ import annotations

import signal
import uuid
from pathlib import Path

import pytest

from streams.config import Topics
from streams.signing import RecordKind
from tests.integration.test_autonomy import (
    ScorerFactory,
    start_scorer,  # noqa: F401 - a fixture, found by pytest here
    verdict,
)
from tests.integration.test_autonomy import wait_for as wait_for_record
from tests.kafka_io import collect, partitions_held_open, produce, scorer_drain
from tests.waiting import wait_for

pytestmark = pytest.mark.integration
SIGNED_VERDICT = ("review", RecordKind.VERDICT)


def scorer_env(kafka_bootstrap: str, tmp_path: Path, transaction_timeout_ms: int = 1000,
               **hooks: str) -> dict[str, str]:
    return {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
            "AFTERGUARD_APP_ID": f"afterguard-test-{uuid.uuid4().hex[:8]}",
            "AFTERGUARD_DATA_DIR": str(tmp_path / "scorer"), "AFTERGUARD_WORKER_ID": "scorer-1",
            # the broker aborts the scorer's transaction after this (at its next look, every
            # second); one that never ends is given up 2 s (two looks) later
            "AFTERGUARD_TRANSACTION_TIMEOUT_MS": str(transaction_timeout_ms),
            # the pause below does not cost the scorer's faust app its group either
            "AFTERGUARD_SESSION_TIMEOUT_MS": "60000", **hooks}


def assert_every_verdict_counted_once(kafka_bootstrap: str, env: dict[str, str],
                                      topics: Topics, count: int) -> str:
    """Verdicts 0..count-1 reviewed and forwarded once each; a later verdict is counted too
    (the scorer goes on scoring). The scorer's events topic name."""
    record = wait_for_record(kafka_bootstrap, topics.autonomy,
                             lambda r: r.get("totals", {}).get("reviews", 0) >= count)
    assert record["totals"]["reviews"] == count, "every verdict counted once"
    produce(kafka_bootstrap, topics.verdicts, [verdict(count)], sign=SIGNED_VERDICT)
    record = wait_for_record(kafka_bootstrap, topics.autonomy,
                             lambda r: r.get("totals", {}).get("reviews", 0) >= count + 1)
    assert record["totals"]["reviews"] == count + 1, "the scorer scores on"
    events = f"{env['AFTERGUARD_APP_ID']}-autonomy-events"
    seen = collect(kafka_bootstrap, [events], done=lambda s: len(s[events]) >= count + 1,
                   drain=scorer_drain(topics.verdicts,
                                      f"{env['AFTERGUARD_APP_ID']}-autonomy-state"))
    ids = [r.json()["verdict"]["verdict_id"] for r in seen[events]]
    assert len(ids) == len(set(ids)) == count + 1, "each verdict forwarded once"
    return events


def test_a_transaction_the_broker_timed_out_is_scored_again(
        kafka_bootstrap: str, topics: Topics, start_scorer: ScorerFactory,  # noqa: F811
        tmp_path: Path) -> None:
    env = scorer_env(kafka_bootstrap, tmp_path,
                     # held open for a few seconds before the broker's abort, to be seen
                     transaction_timeout_ms=5000,
                     # the first batch's events are sent, its commit not: the scorer stops
                     AFTERGUARD_PAUSE_AT="before_commit")
    scorer = start_scorer(topics, env)
    produce(kafka_bootstrap, topics.verdicts, [verdict(n) for n in range(10)],
            sign=SIGNED_VERDICT)
    wait_for(lambda: "stopping this process (SIGSTOP)" in scorer.log_text(),
             "the scorer did not reach its commit", timeout=90)
    events = f"{env['AFTERGUARD_APP_ID']}-autonomy-events"
    try:
        assert partitions_held_open(kafka_bootstrap, events), \
            "the batch's events are written in the open transaction"
        wait_for(lambda: not partitions_held_open(kafka_bootstrap, events),
                 "the broker did not abort the timed-out transaction", timeout=90)
    finally:
        scorer.proc.send_signal(signal.SIGCONT)
    assert_every_verdict_counted_once(kafka_bootstrap, env, topics, 10)
    log = scorer.log_text()
    assert "ProducerFenced" in log, "the timed-out transaction's commit was refused"
    assert "another autonomy scorer took over" not in log, log[-3000:]


def test_a_transaction_its_client_never_ends_is_given_up(
        kafka_bootstrap: str, topics: Topics, start_scorer: ScorerFactory,  # noqa: F811
        tmp_path: Path) -> None:
    env = scorer_env(kafka_bootstrap, tmp_path,
                     # the first batch's events are sent; then its transaction is never ended
                     AFTERGUARD_HANG_AT="before_commit")
    scorer = start_scorer(topics, env)
    produce(kafka_bootstrap, topics.verdicts, [verdict(n) for n in range(10)],
            sign=SIGNED_VERDICT)
    assert_every_verdict_counted_once(kafka_bootstrap, env, topics, 10)
    log = scorer.log_text()
    assert "hanging here until cancelled" in log and "did not end within" in log, log[-3000:]


def test_a_second_scorer_still_fences_the_first_which_stops(
        kafka_bootstrap: str, topics: Topics, start_scorer: ScorerFactory,  # noqa: F811
        tmp_path: Path) -> None:
    """A fenced transaction younger than the timeout was not the broker's doing: another
    scorer started under the same id, and the first one stops rather than fence it back."""
    env = scorer_env(kafka_bootstrap, tmp_path)
    env["AFTERGUARD_TRANSACTION_TIMEOUT_MS"] = "60000"
    first = start_scorer(topics, env)
    # faust logs Ready before the scoring loop has its producer and its committed offsets
    # (1-5 s later on a loaded machine: after the second's Ready in 8 runs of 8, after the
    # second's loop in 1): the second starts once the first is scoring, as the test says
    wait_for(lambda: "pair states restored; reading" in first.log_text(),
             "the first scorer never started scoring", timeout=90)
    second = start_scorer(topics, {**env, "AFTERGUARD_WORKER_ID": "scorer-2"})
    produce(kafka_bootstrap, topics.verdicts, [verdict(n) for n in range(10)],
            sign=SIGNED_VERDICT)
    assert_every_verdict_counted_once(kafka_bootstrap, env, topics, 10)
    wait_for(lambda: "another autonomy scorer took over" in first.log_text(),
             "the first scorer was not fenced", timeout=60)
    assert "another autonomy scorer took over" not in second.log_text()
