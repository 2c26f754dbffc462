"""A transactional producer for a service that is the only writer under its transactional id.

Starting one fences the previous producer under the same id (a crashed or paused instance of
the service): its open transaction is aborted, or finished if its commit was under way, before
`start_transactional` returns. Nothing the old instance still held can reach a
`read_committed` consumer afterwards, and nobody waits for its transaction to time out.

The review service and the autonomy scorer use it; the worker's per-partition producers
(streams/worker/transactions.py) fence the same way.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections import Counter
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaProducer

from streams.kafka_connection import KafkaConnection

log = logging.getLogger(__name__)

CLOSE_TIMEOUT_S = 5.0
# A service producer's largest request (aiokafka's default): a record over it is refused
# whatever its topic takes.
MAX_REQUEST = 1_048_576
# The broker aborts a transaction older than its timeout at its next look for such
# transactions (`transaction.abort.timed.out.transaction.cleanup.interval.ms`, 10 s by default).
# Brokers that look at another interval are named by this variable (validated at start with
# the other settings: streams.config.Settings.broker_abort_interval_ms).
BROKER_ABORTS_EVERY_S = 10.0
BROKER_ABORT_INTERVAL_ENV = "AFTERGUARD_BROKER_ABORT_INTERVAL_MS"
# Test hooks: the step of a transaction at which the process kills itself (-9), to prove that
# a crash at any step loses nothing and duplicates nothing; stops itself (SIGSTOP, resumed by
# the test's SIGCONT), to hold a transaction open; or hangs there (the transaction is never
# ended, as by a client that lost its request), to prove nothing waits for it for ever. The
# integration tests set them; `step` acts the first time, `step#N` the N-th time, `step#N+`
# every time from the N-th on.
CRASH_AT_ENV = "AFTERGUARD_CRASH_AT"
PAUSE_AT_ENV = "AFTERGUARD_PAUSE_AT"
HANG_AT_ENV = "AFTERGUARD_HANG_AT"
# ...or fails there as when the broker cannot be reached (a moment no real outage can be timed
# to hit), to prove an outcome that cannot be read is not taken for "not given".
FAIL_AT_ENV = "AFTERGUARD_FAIL_AT"
_reached: Counter[tuple[str, str]] = Counter()


def _now(env: str, step: str) -> bool:
    """Whether the hook `env` names `step`, reached now for the time it names."""
    wanted = os.environ.get(env)
    if not wanted:
        return False
    name, _, nth = wanted.partition("#")
    if name != step:
        return False
    _reached[(env, step)] += 1
    if nth.endswith("+"):
        return _reached[(env, step)] >= int(nth[:-1])
    return _reached[(env, step)] == int(nth or 1)


def crash_point(step: str) -> None:
    """Kill this process (-9) here when AFTERGUARD_CRASH_AT names this step; stop it
    (SIGSTOP) when AFTERGUARD_PAUSE_AT does (a continued process goes on from here)."""
    for env, sig, what in ((CRASH_AT_ENV, signal.SIGKILL, "killing this process (-9)"),
                           (PAUSE_AT_ENV, signal.SIGSTOP, "stopping this process (SIGSTOP)")):
        if _now(env, step):
            log.warning("crash point %s reached: %s", step, what)
            os.kill(os.getpid(), sig)


async def hang_point(step: str) -> None:
    """Never return (until cancelled) when AFTERGUARD_HANG_AT names this step."""
    if _now(HANG_AT_ENV, step):
        log.warning("crash point %s reached: hanging here until cancelled", step)
        await asyncio.Event().wait()


def fail_point(step: str) -> None:
    """Raise as an unreachable broker does when AFTERGUARD_FAIL_AT names this step."""
    if _now(FAIL_AT_ENV, step):
        log.warning("crash point %s reached: failing as if the broker were away", step)
        raise ConnectionError(f"test hook {FAIL_AT_ENV}={step}")


def given_up_after_s(transaction_timeout_ms: int) -> float:
    """How long a transaction may take before its client gives it up as failed: by then the
    broker has surely aborted it (the timeout and two of the broker's looks for timed-out
    transactions). Waiting longer cannot end it, and a client that lost its commit across a
    broker restart would otherwise wait for ever (seen once: no request, no error for 90 s)."""
    return transaction_timeout_ms / 1000 + 2 * broker_aborts_every_s()


def broker_aborts_every_s() -> float:
    """How often the brokers look for timed-out transactions: Kafka's default, unless
    AFTERGUARD_BROKER_ABORT_INTERVAL_MS says otherwise."""
    given = os.environ.get(BROKER_ABORT_INTERVAL_ENV, "")
    return int(given) / 1000 if given else BROKER_ABORTS_EVERY_S


async def start_transactional(kafka: KafkaConnection, transactional_id: str, *,
                              transaction_timeout_ms: int = 60_000,
                              max_request_size: int = MAX_REQUEST) -> AIOKafkaProducer:
    """A started producer under `transactional_id`; the previous one is fenced on return
    (an empty transaction waits for the producer id, whose grant fences)."""
    producer = kafka.producer(
        transactional_id=transactional_id,
        transaction_timeout_ms=transaction_timeout_ms, max_request_size=max_request_size,
        acks="all", enable_idempotence=True)
    try:
        await producer.start()
        await producer.begin_transaction()
        await producer.abort_transaction()
    except BaseException:
        await stop_quietly(producer)
        raise
    return producer


async def delivered(sent: Sequence[asyncio.Future[Any]]) -> None:
    """Wait until every record sent in a transaction is written, raising the first failure.
    aiokafka commits a transaction even when one of its records was refused (e.g. too large),
    so the caller must see each delivery before it commits."""
    await asyncio.gather(*sent)


async def stop_quietly(producer: AIOKafkaProducer) -> None:
    """Stop without waiting long for a broker that is gone (an open transaction is fenced by
    the next producer under the same id, or times out)."""
    try:
        await asyncio.wait_for(producer.stop(), CLOSE_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - a producer that cannot stop cleanly is dropped
        log.warning("a transactional producer did not stop cleanly (%s)", type(exc).__name__)
