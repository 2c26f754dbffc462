"""A chaos run against a broker of its own: action results mixed with poison records, the worker
killed with -9 while it works, the broker restarted once; then what a `read_committed`
consumer sees, counted. Used by tests/integration/test_chaos.py and bench/chaos.py."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from aiokafka import TopicPartition
from aiokafka.admin import NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from policies.decision import job_id_in_key
from streams import broker
from streams.config import Topics, topic_env
from streams.demo_data import generate
from streams.kafka_admin import partition_counts
from streams.kafka_connection import plaintext
from streams.worker.process import WorkerProcess
from tests.kafka_io import drained, worker_drain

LOG_ENTRY = re.compile(r"\[\d{4}-\d\d-\d\d |\{")  # text or JSON log format

PARTITIONS = 3
INPUT_MAX_BYTES = 8 * 1024 * 1024  # the input topic takes records up to 8 MB
# The worker's session timeout in the run. A restarted worker must not wait out the killed
# one's session (as a static member it takes the partitions back at once): a long session
# makes such a wait unmistakable, whatever the load.
SESSION_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Input:
    key: bytes
    value: bytes
    valid: bool  # True: expects one decision and one audit record; False: one dead letter


def poison(tag: str, count: int) -> list[Input]:
    """Malformed and hostile records an agent (or a broken client) can write."""
    out = []
    for i in range(count):
        kind = 4 if i % 50 == 4 else i % 4  # one in fifty a 3 MB output, the rest malformed
        job = f"{tag}-poison-{i:05d}"
        head = f'{{"job_id":"{job}","agent_id":"chaos-agent","action":"job.chaos",'.encode()
        if kind == 0:  # nesting deeper than any parser's stack
            out.append(Input(job.encode(), head + b'"output":' + b"[" * 50_000 + b"]" * 50_000
                             + b"}", False))
        elif kind == 1:  # an integer of 20,000 digits
            out.append(Input(job.encode(), head + b'"output":' + b"7" * 20_000 + b"}", False))
        elif kind == 2:  # invalid UTF-8: an encoded lone surrogate
            out.append(Input(job.encode(), head + b'"output":"\xed\xa0\x80"}', False))
        elif kind == 3:  # not JSON at all
            out.append(Input(job.encode(), b"{not json " + job.encode(), False))
        else:  # a valid result with a 3 MB output: decided (held, by reference)
            out.append(Input(job.encode(), head + b'"output":"' + b"z" * 3_000_000 + b'"}',
                             True))
    return out


def inputs(tag: str, valid: int, poisoned: int) -> list[Input]:
    """`valid` demo results with `poisoned` poison records spread among them."""
    results = [Input(r.key.encode(), r.value, True)
               for r in generate(valid, tag, malformed_every=0)]
    bad = poison(tag, poisoned)
    step = max(1, len(results) // max(1, len(bad)))
    mixed: list[Input] = []
    for i, record in enumerate(results):
        mixed.append(record)
        if i % step == step - 1 and bad:
            mixed.append(bad.pop())
    return mixed + bad


@dataclass
class Seen:
    """What a read_committed consumer of the worker's topics has seen so far."""

    decisions: Counter[bytes] = field(default_factory=Counter)  # by job id (the record key)
    audits: Counter[bytes] = field(default_factory=Counter)
    letters: Counter[tuple[int, int]] = field(default_factory=Counter)  # by source partition, offset
    # (arrival time, decision time) of each audit record, to measure recovery
    audit_times: list[tuple[float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Watcher(threading.Thread):
    """Reads released, quarantine, dead-letter and audit topics as a read_committed consumer
    for the whole run (across the broker restart)."""

    def __init__(self, bootstrap: str, topics: Topics) -> None:
        super().__init__(daemon=True)
        self.bootstrap, self.topics = bootstrap, topics
        self.seen = Seen()
        self.positions: dict[TopicPartition, int] = {}  # the consumer's, after each poll
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._read())
        except BaseException as exc:  # noqa: BLE001 - reported by the run
            self.error = exc

    async def _read(self) -> None:
        t = self.topics
        consumer = plaintext(self.bootstrap).consumer(
            t.released, t.quarantine, t.deadletter, t.audit, group_id=None,
            auto_offset_reset="earliest", enable_auto_commit=False,
            isolation_level="read_committed", fetch_max_bytes=64 * 1024 * 1024)
        await consumer.start()
        try:
            while not self.stopping.is_set():
                batches = await consumer.getmany(timeout_ms=200)
                now = time.time()
                with self.seen.lock:
                    for tp, messages in batches.items():
                        for m in messages:
                            # a result's records are keyed `<source topic>/<job_id>`
                            key = job_id_in_key(m.key).encode()
                            if tp.topic == t.audit:
                                self.seen.audits[key] += 1
                                decided = json.loads(m.value)["decision_ts"]
                                self.seen.audit_times.append(
                                    (now, datetime.fromisoformat(decided).timestamp()))
                            elif tp.topic == t.deadletter:  # keyed by its source
                                source = json.loads(m.value)["source"]
                                self.seen.letters[(source["partition"], source["offset"])] += 1
                            else:
                                self.seen.decisions[key] += 1
                positions = {tp: await consumer.position(tp) for tp in consumer.assignment()}
                with self.seen.lock:
                    self.positions.update(positions)
        finally:
            await consumer.stop()

    def read_up_to(self, ends: dict[TopicPartition, int]) -> bool:
        with self.seen.lock:
            return all(self.positions.get(tp, 0) >= end for tp, end in ends.items())

    def audits_of(self, keys: set[bytes]) -> int:
        with self.seen.lock:
            return sum(1 for k in keys if self.seen.audits[k])

    def first_decided_after(self, moment: float) -> float | None:
        """When the first record decided after `moment` became visible."""
        with self.seen.lock:
            arrivals = [arrived for arrived, decided in self.seen.audit_times if decided > moment]
        return min(arrivals) if arrivals else None


@dataclass
class ChaosReport:
    valid: int
    malformed: int
    missing_decisions: int
    duplicate_decisions: int
    missing_audits: int
    duplicate_audits: int
    missing_letters: int
    duplicate_letters: int
    stray: int  # decisions for malformed inputs, dead letters for valid ones
    recoveries_s: list[float]  # from the kill -9 to the first record decided again
    # from the restarted worker's joining its group (its start-up done) to its first record
    # decided: the rejoin, fencing the killed one's transactions, one batch
    resumed_after_joining_s: list[float]
    broker_recovery_s: float
    outage_log_lines: int
    verify_exit: int
    verify_output: str
    seconds: float

    def lines(self) -> list[str]:
        return [
            f"inputs: {self.valid} valid, {self.malformed} malformed ({self.seconds:.0f} s)",
            f"decisions: missing {self.missing_decisions}, duplicated {self.duplicate_decisions}",
            f"audit records: missing {self.missing_audits}, duplicated {self.duplicate_audits}",
            f"dead letters: missing {self.missing_letters}, duplicated {self.duplicate_letters}",
            f"stray (decision for malformed / dead letter for valid): {self.stray}",
            "recovery after kill -9 (s): " + ", ".join(f"{r:.1f}" for r in self.recoveries_s),
            "  of which after the restarted worker joined its group (s): "
            + ", ".join(f"{r:.1f}" for r in self.resumed_after_joining_s),
            f"deciding again after the broker restart (s): {self.broker_recovery_s:.1f}",
            f"worker log records during the broker outage: {self.outage_log_lines}",
            f"audit verify: exit {self.verify_exit}",
        ]


def _log_entries(worker: WorkerProcess) -> int:
    """Log records written so far: a record's first line starts with its time stamp; the
    lines of a traceback (aiokafka prints one per producer that loses the broker, three since
    the worker has a producer per lane) are part of their record, not more records."""
    return sum(1 for line in worker.log_text().splitlines() if LOG_ENTRY.match(line))


async def _create_topics(bootstrap: str, topics: Topics) -> None:
    admin = plaintext(bootstrap).admin()
    await admin.start()
    try:
        new = [NewTopic(topics.inputs[0], PARTITIONS, 1,
                        topic_configs={"max.message.bytes": str(INPUT_MAX_BYTES)})]
        new += [NewTopic(name, PARTITIONS, 1) for name in
                (topics.released, topics.quarantine, topics.review, topics.audit,
                 topics.deadletter, topics.verdicts, topics.autonomy_audit)]
        new += [NewTopic(topics.review_audit, 1, 1),
                NewTopic(topics.autonomy, PARTITIONS, 1,
                         topic_configs={"cleanup.policy": "compact"})]
        try:
            await admin.create_topics(new)
        except TopicAlreadyExistsError:
            pass
    finally:
        await admin.close()


def _produce(bootstrap: str, topic: str, records: list[Input],
             sources: dict[bytes, tuple[int, int]]) -> None:
    """Produce, noting each record's partition and offset in `sources` (dead letters name
    their input by its place in the log)."""
    async def run() -> None:
        producer = plaintext(bootstrap).producer(enable_idempotence=True,
                                                 max_request_size=INPUT_MAX_BYTES, linger_ms=20)
        await producer.start()
        try:
            sent = [(record.key, await producer.send(topic, record.value, key=record.key))
                    for record in records]
            for key, future in sent:
                metadata = await future
                sources[key] = (metadata.partition, metadata.offset)
        finally:
            await producer.stop()

    asyncio.run(run())


async def _end_offsets(bootstrap: str, topics: list[str]) -> dict[TopicPartition, int]:
    """The last stable offsets of every partition of the topics."""
    consumer = plaintext(bootstrap).consumer(group_id=None, enable_auto_commit=False,
                                             isolation_level="read_committed")
    await consumer.start()
    try:
        counts = await partition_counts(plaintext(bootstrap), topics)
        ends: dict[TopicPartition, int] = await consumer.end_offsets(
            [TopicPartition(t, p) for t in topics for p in range(counts[t])])
        return ends
    finally:
        await consumer.stop()


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout:.0f}s")
        time.sleep(0.05)


def _first_decided_after(watcher: Watcher, moment: float, timeout: float) -> float:
    _wait(lambda: watcher.first_decided_after(moment) is not None, timeout,
          "the worker did not decide again")
    back = watcher.first_decided_after(moment)
    assert back is not None
    return back


def _joining_at(worker: WorkerProcess) -> float:
    """When the worker, its start-up done (policy, keys, followed state), subscribed its group
    consumer to the input topic: what follows is the join, which a static member makes at
    once, and the fencing of the killed worker's open transactions."""
    worker.wait_ready(60)
    line = next(line for line in worker.log_text().splitlines()
                if "Subscribed to topic(s)" in line)
    stamp = line[1:line.index("]")]  # the text log format's asctime: local time
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()


def run_chaos(workdir: Path, valid: int, poisoned: int, env: dict[str, str],
              say: Callable[[str], None] = lambda _line: None,
              finish_timeout: float = 300.0) -> ChaosReport:
    """Four chunks of input; kill -9 the worker during the first two, restart the broker during
    the third; then count what a read_committed consumer sees."""
    started = time.monotonic()
    state = workdir / "kafka"
    info = broker.start(state)
    bootstrap, port = info.bootstrap_servers, info.port
    prefix = f"chaos{uuid.uuid4().hex[:6]}"
    topics = Topics(inputs=(f"{prefix}.in",), released=f"{prefix}.released",
                    quarantine=f"{prefix}.quarantine", review=f"{prefix}.review",
                    audit=f"{prefix}.audit", deadletter=f"{prefix}.deadletter",
                    verdicts=f"{prefix}.verdicts", review_audit=f"{prefix}.audit.review",
                    autonomy=f"{prefix}.autonomy", autonomy_audit=f"{prefix}.audit.autonomy")
    asyncio.run(_create_topics(bootstrap, topics))
    records = inputs(prefix, valid, poisoned)
    chunks = [records[i::4] for i in range(4)]
    worker_env = {**env, "KAFKA_BOOTSTRAP_SERVERS": bootstrap, **topic_env(topics),
                  "AFTERGUARD_APP_ID": prefix, "AFTERGUARD_WORKER_ID": "chaos-worker",
                  "AFTERGUARD_GROUP_INSTANCE_ID": "chaos-worker",
                  "AFTERGUARD_SESSION_TIMEOUT_MS": str(SESSION_TIMEOUT_MS),
                  "AFTERGUARD_DATA_DIR": str(workdir / "worker")}
    watcher = Watcher(bootstrap, topics)
    watcher.start()
    workers: list[WorkerProcess] = []

    def start_worker() -> WorkerProcess:
        worker = WorkerProcess(worker_env, workdir / f"worker{len(workers)}.log")
        workers.append(worker)
        return worker

    def wait_progress(chunk: list[Input], share: float) -> None:
        keys = {r.key for r in chunk if r.valid}
        _wait(lambda: watcher.audits_of(keys) >= share * len(keys), 180,
              "no progress on a chunk")

    recoveries: list[float] = []
    resumed: list[float] = []
    sources: dict[bytes, tuple[int, int]] = {}
    try:
        start_worker().wait_ready()
        _produce(bootstrap, topics.inputs[0], chunks[0], sources)
        for n in range(2):
            wait_progress(chunks[n], 0.2)
            killed_at = time.time()
            workers[-1].kill()
            say(f"killed the worker with -9 during chunk {n + 1}")
            start_worker()
            _produce(bootstrap, topics.inputs[0], chunks[n + 1], sources)  # work for the new one
            back = _first_decided_after(watcher, killed_at, 120)
            recoveries.append(back - killed_at)
            resumed.append(back - _joining_at(workers[-1]))
            say(f"deciding again {recoveries[-1]:.1f} s after the kill, "
                f"{resumed[-1]:.1f} s after the restarted worker joined its group")
        wait_progress(chunks[2], 0.2)
        entries_before = _log_entries(workers[-1])
        broker.stop(state)
        say("broker stopped")
        time.sleep(5)
        broker.start(state, port)
        restarted_at = time.time()
        say("broker started again")
        _produce(bootstrap, topics.inputs[0], chunks[3], sources)
        broker_recovery = _first_decided_after(watcher, restarted_at, 120) - restarted_at
        say(f"deciding again {broker_recovery:.1f} s after the broker restart")
        outage_lines = _log_entries(workers[-1]) - entries_before
        expected_valid = {r.key for r in records if r.valid}
        expected_bad = {r.key for r in records if not r.valid}
        _wait(lambda: watcher.audits_of(expected_valid) == len(expected_valid)
              and sum(1 for k in expected_bad if watcher.seen.letters[sources[k]])
              == len(expected_bad),
              finish_timeout, "not every input was decided or dead-lettered")
        # anything written twice is on the topics once the worker decided sentinels behind
        # every input (tests/kafka_io.Drain): read up to the end offsets taken then
        drained(bootstrap, worker_drain(topics.inputs, topics.audit))
        ends = asyncio.run(_end_offsets(bootstrap, [
            topics.released, topics.quarantine, topics.deadletter, topics.audit]))
        _wait(lambda: watcher.read_up_to(ends), 60, "the watcher did not read up to the end")
        workers[-1].stop()
        verify = subprocess.run(
            [sys.executable, "-m", "streams.cli", "audit", "verify", "--bootstrap", bootstrap,
             "--topic", topics.audit], capture_output=True, text=True, check=False,
            env={**os.environ, **worker_env}, timeout=300)
    finally:
        watcher.stopping.set()
        watcher.join(30)
        for worker in workers:
            worker.stop()
        broker.stop(state)
    if watcher.error is not None:
        raise watcher.error
    seen = watcher.seen
    valid_keys = [r.key for r in records if r.valid]
    bad_keys = [r.key for r in records if not r.valid]
    return ChaosReport(
        valid=len(valid_keys), malformed=len(bad_keys),
        missing_decisions=sum(1 for k in valid_keys if seen.decisions[k] == 0),
        duplicate_decisions=sum(1 for k in valid_keys if seen.decisions[k] > 1),
        missing_audits=sum(1 for k in valid_keys if seen.audits[k] == 0),
        duplicate_audits=sum(1 for k in valid_keys if seen.audits[k] > 1),
        missing_letters=sum(1 for k in bad_keys if seen.letters[sources[k]] == 0),
        duplicate_letters=sum(1 for k in bad_keys if seen.letters[sources[k]] > 1),
        stray=sum(1 for k in bad_keys if seen.decisions[k] or seen.audits[k])
        + sum(1 for k in valid_keys if seen.letters[sources[k]]),
        recoveries_s=recoveries, resumed_after_joining_s=resumed, broker_recovery_s=broker_recovery,
        outage_log_lines=outage_lines, verify_exit=verify.returncode,
        verify_output=verify.stdout + verify.stderr, seconds=time.monotonic() - started)
