"""Kafka clients side by side: aiokafka (the worker's) and confluent-kafka (librdkafka),
consuming and producing exactly once over the same messages on one broker.

Each run is a process of its own that consumes an input topic of 3 partitions
(`read_committed`, a consumer group, range assignment) and writes each poll's records in
transactions with their input offsets, until every input record is committed; the driver then
checks what a `read_committed` reader sees (every output written once, the group's offsets at
the input's end). Printed per run: messages and transactions, the wall time from the first
polled record, a transaction's wall time, and the CPU the process spent from its consumer's
start to its last commit (each thread's CPU clock), per message and per transaction: the work
(copies or the decide step, counted in the thread doing it), the Kafka side (the rest), what of
it the Python threads spent (they hold the GIL, as the worker's event loop and decide thread
do; the rest is librdkafka's own threads, C outside the GIL). Then, per client, a fit of the
Kafka side = a per message + b per transaction over its runs.

Clients (`--clients`):
  aiokafka        the worker's shape: one transactional producer per input partition index
                  (`streams.worker.transactions`, its settings), each poll's records of index N
                  in one transaction of N's producer, written by the worker's own
                  `streams.worker.decided.write`; the indexes' transactions concurrent.
  aiokafka-one    one producer, one transaction per poll for all partitions (measured only:
                  without KIP-447's fencing by group generation this is unsafe, see
                  streams/worker/transactions.py)
  confluent       the worker's shape on confluent-kafka: a producer per index, each index's
                  transaction in a thread of its own (librdkafka's calls release the GIL)
  confluent-one   KIP-447 through librdkafka: one producer per worker, one transaction per
                  poll, its offsets sent with the consumer's group metadata (generation and
                  member id), so a zombie is fenced by the group, not by the transactional id

Work (`--work`):
  copy    each input record makes 3 outputs (a decision keyed like the input, an audit record
          in the index's partition, a review item), plus one record per transaction (as the
          worker's job-id sightings); values: the input record's bytes
  decide  the worker's decide step (`streams.worker.decided.BatchState.decide` over the
          Worker's own objects, as bench/pipeline_stages.py builds them: decode, scan, policy,
          sampling, records, seal, signatures), its outputs written; aiokafka decides in a
          one-thread executor as the worker does, confluent-kafka in its main thread

confluent-kafka is not one of the project's dependencies: give an interpreter that has it
and the project (`--confluent-python`; e.g. a venv of its own with `pip install -e .
confluent-kafka==2.16.1`). Runs go in rounds, each client in turn, so the machine's load falls
on all of them alike.

`--rate 300,1000` runs each client with the records offered at that rate while it consumes
(topics of its own, polls of up to 200 taking what is fetched, as the worker's do) instead of
preloaded, and prints each result's latency from its produce to its decision as a
`read_committed` consumer reads it: how many transactions each shape makes at that rate, and
what they cost.

    AFTERGUARD_SAMPLING_KEY=$(openssl rand -hex 32) PYTHONPATH=$PWD .venv/bin/python \\
        bench/kafka_clients.py --confluent-python /tmp/kafka/venv/bin/python \\
        [--messages 10000] [--batch 200,5] [--small-messages 2000] [--rounds 2]
        [--rate 300,1000 --rate-seconds 5]
        [--clients aiokafka,aiokafka-one,confluent,confluent-one] [--work copy|decide]

Uses KAFKA_BOOTSTRAP_SERVERS if set, else starts a local broker in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streams import broker
from streams.config import Topics, load_kafka_connection, topic_env
from streams.demo_data import generate
from streams.kafka_connection import KafkaConnection, plaintext

PARTITIONS = 3
BATCH = 200  # records per poll of the --rate runs: the worker's AFTERGUARD_BATCH_SIZE
WARM_UP = 1000  # results the decide step decides before a run (--work decide)
CLIENTS = ("aiokafka", "aiokafka-one", "confluent", "confluent-one")
# topic, key, value, partition (None: by key), headers (as streams.worker.decided.Output)
Output = tuple[str, bytes | None, bytes, int | None, list[tuple[str, bytes]] | None]
Record = tuple[str, int, int, bytes | None, bytes]  # topic, partition, offset, key, value

# ---------------------------------------------------------------- the runs (one process each)

_labels: dict[int, str] = {}  # native thread id -> what the thread is
# the Python threads (they take the GIL); librdkafka's threads are "rdkafka", threads that
# ended during the run "ended"
PYTHON_THREADS = ("loop", "decide", "main", "tx threads")


def label_thread(name: str) -> Callable[[], None]:
    def register() -> None:
        _labels[threading.get_native_id()] = name
    return register


def threads_cpu() -> dict[int, tuple[str, float]]:
    """Each thread of this process: its label and its CPU seconds (user + system), read from
    its CPU-time clock (nanoseconds; /proc's stat counts 10 ms ticks, too coarse for
    librdkafka's many short-working threads), and the whole process's under the key 0."""
    found = {0: ("process", time.process_time())}
    for tid in os.listdir("/proc/self/task"):
        try:
            comm = Path(f"/proc/self/task/{tid}/comm").read_text().strip()
            # Linux's clock id of one thread's CPU time (MAKE_THREAD_CPUCLOCK(tid, SCHED))
            seconds = time.clock_gettime(((~int(tid)) << 3) | 6)
        except OSError:  # ended meanwhile
            continue
        label = _labels.get(int(tid)) or ("rdkafka" if comm.startswith("rdk:") else "other")
        found[int(tid)] = (label, seconds)
    return found


def cpu_since(start: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds by thread label since `start` (threads begun meanwhile count whole; those
    that ended meanwhile are the process's rest, "ended")."""
    now = threads_cpu()
    spent: dict[str, float] = {}
    for tid, (label, seconds) in now.items():
        if tid:
            spent[label] = spent.get(label, 0.0) + seconds - start.get(tid, (label, 0.0))[1]
    ended = now[0][1] - start[0][1] - sum(spent.values())
    if ended > 0.001:
        spent["ended"] = ended
    return spent


@dataclass
class Txn:
    """One transaction's outputs and input offsets (what streams.worker.decided.write reads)."""

    outputs: list[Output]
    committed: dict[tuple[str, int], int]

    def offsets(self) -> dict[Any, int]:
        from aiokafka import TopicPartition

        return {TopicPartition(t, p): o for (t, p), o in self.committed.items()}


class Work:
    """Turns one index's records into a transaction's outputs: copies, or the worker's decide
    step."""

    def __init__(self, kind: str, topics: Topics, state_topic: str) -> None:
        self.kind, self.topics, self.state_topic = kind, topics, state_topic
        self.cpu = 0.0  # CPU seconds spent making outputs (the decide step)
        if kind == "decide":
            from streams.audit.chain import AuditChain
            from streams.config import load_settings
            from streams.worker.app import Worker
            from streams.worker.batch import BatchDecider
            from streams.worker.codec import RawRecord
            from streams.worker.collector import settle_after_start
            from streams.worker.decided import BatchState
            from streams.worker.output_limits import OutputLimits

            worker = Worker(load_settings())
            settle_after_start()  # as `afterguard worker` does
            decider = BatchDecider(worker.pipeline, worker.first_seen, OutputLimits(16 << 20))
            self.state = BatchState(worker.settings, decider, worker.first_seen,
                                    worker.job_ids, worker.signer)
            self.decider = decider
            # warm, as a worker that has run a while: caches, first sightings (not measured)
            warm = [RawRecord(topics.inputs[0], i % PARTITIONS, i, r.key.encode(), r.value)
                    for i, r in enumerate(generate(WARM_UP, "warm", seed=3,
                                                   malformed_every=0))]
            for i in range(0, WARM_UP, 200):
                self.chain = AuditChain.fresh(PARTITIONS)
                self.state.decide(0, {}, warm[i:i + 200], self.chain,
                                  decider.checkpoint(self.chain), datetime.now(UTC))
            self.chain = AuditChain.fresh(PARTITIONS)

    def outputs(self, index: int, records: Sequence[Record]) -> list[Output]:
        """The transaction's outputs; the CPU this took (in the calling thread) is counted in
        `self.cpu`: the rest of the process's CPU is the Kafka side."""
        started = time.thread_time()
        try:
            return self._outputs(index, records)
        finally:
            self.cpu += time.thread_time() - started

    def _outputs(self, index: int, records: Sequence[Record]) -> list[Output]:
        if self.kind == "copy":
            t = self.topics
            outputs: list[Output] = []
            for _topic, _partition, _offset, key, value in records:
                outputs += [(t.released, key, value, None, None), (t.audit, key, value, index,
                                                                   None),
                            (t.review, key, value, None, None)]
            outputs.append((self.state_topic, records[0][3], records[-1][4], None, None))
            return outputs
        from streams.worker.codec import RawRecord

        raws = [RawRecord(*record) for record in records]
        before = self.decider.checkpoint(self.chain)
        decided = self.state.decide(index, {}, raws, self.chain, before, datetime.now(UTC))
        return list(decided.outputs)


def merged(txns: Sequence[tuple[int, Txn]]) -> list[tuple[int, Txn]]:
    """The indexes' transactions of a poll as one (KIP-447: one producer per worker)."""
    return [(0, Txn([o for _i, t in txns for o in t.outputs],
                    {tp: o for _i, t in txns for tp, o in t.committed.items()}))]


def figures(done: int, transactions: int, started: float | None,
            start: dict[int, tuple[str, float]], work: Work, took: list[float]) -> dict[str, Any]:
    """A run's figures, printed as its last line for the driver."""
    assert started is not None
    return {"messages": done, "transactions": transactions,
            "seconds": time.perf_counter() - started, "cpu": cpu_since(start),
            "work": work.cpu, "took": took}


def by_index(records: Sequence[Record]) -> dict[int, list[Record]]:
    indexes: dict[int, list[Record]] = {}
    for record in records:
        indexes.setdefault(record[1], []).append(record)
    return indexes


def offsets_of(records: Sequence[Record]) -> dict[tuple[str, int], int]:
    return {(topic, partition): offset + 1 for topic, partition, offset, _k, _v in records}


async def run_aiokafka(config: dict[str, Any], work: Work, one: bool) -> dict[str, Any]:
    from aiokafka.coordinator.assignors.range import RangePartitionAssignor

    from streams.config import load_settings
    from streams.worker.decided import write
    from streams.worker.stage_clock import StageClock
    from streams.worker.transactions import PartitionProducers

    settings = load_settings()  # AFTERGUARD_APP_ID is the group: the worker's producer ids
    label_thread("loop")()
    producers = PartitionProducers(settings)  # the worker's producer settings and fencing
    consumer = settings.kafka.consumer(
        config["input"], group_id=settings.app_id, enable_auto_commit=False,
        isolation_level="read_committed", auto_offset_reset="earliest",
        max_poll_records=config["batch"], partition_assignment_strategy=(RangePartitionAssignor,))
    decide_thread = ThreadPoolExecutor(1, initializer=label_thread("decide"))
    loop = asyncio.get_running_loop()
    stages = StageClock()
    for index in ([0] if one else range(PARTITIONS)):
        await producers.open(index)
    start = threads_cpu()  # the consumer's start and fetches count (librdkafka's fetch ahead)
    await consumer.start()
    done = transactions = 0
    started: float | None = None
    took: list[float] = []  # each transaction's seconds, begin to commit

    async def timed_write(producer: Any, txn: Txn) -> None:
        begun = time.perf_counter()
        await write(producer, txn, settings.app_id, stages)  # type: ignore[arg-type]
        took.append(time.perf_counter() - begun)

    try:
        while done < config["expected"]:
            polled = await consumer.getmany(timeout_ms=100, max_records=config["batch"])
            if consumer.assignment():
                announce_ready()
            records = [(m.topic, m.partition, m.offset, m.key, m.value)
                       for messages in polled.values() for m in messages]
            if not records:
                continue
            if started is None:
                started = time.perf_counter()
            groups = by_index(records)
            txns = []
            for index, group in sorted(groups.items()):
                outputs = await loop.run_in_executor(decide_thread, work.outputs, index, group)
                txns.append((index, Txn(outputs, offsets_of(group))))
            if one:
                txns = merged(txns)
            await asyncio.gather(*(timed_write(producers.get(index), txn) for index, txn in txns))
            transactions += len(txns)
            done += len(records)
        return figures(done, transactions, started, start, work, took)
    finally:
        decide_thread.shutdown()
        await producers.close_all()
        await consumer.stop()


def confluent_options(kafka: KafkaConnection) -> dict[str, Any]:
    """Plain text only: the benchmark's broker (the product's security settings map to
    librdkafka's `security.protocol`, `ssl.*`, `sasl.*`: not done here)."""
    if kafka.security_protocol != "PLAINTEXT":
        raise SystemExit("bench/kafka_clients.py: the confluent-kafka runs take a PLAINTEXT "
                         "broker only")
    return {"bootstrap.servers": kafka.bootstrap_servers}


def run_confluent(config: dict[str, Any], work: Work, one: bool) -> dict[str, Any]:
    from confluent_kafka import Consumer, Producer, TopicPartition

    from streams.config import load_settings

    settings = load_settings()
    label_thread("main")()
    common = confluent_options(settings.kafka)
    consumer = Consumer({**common, "group.id": settings.app_id, "enable.auto.commit": False,
                         "isolation.level": "read_committed", "auto.offset.reset": "earliest",
                         "partition.assignment.strategy": "range"})

    def producer(transactional_id: str) -> Any:
        made = Producer({
            **common, "transactional.id": transactional_id,
            "transaction.timeout.ms": settings.transaction_timeout_ms,
            "enable.idempotence": True, "acks": "all", "linger.ms": config["linger_ms"],
            "message.max.bytes": settings.max_request_bytes,
            "partitioner": "murmur2_random",  # the Java client's (and aiokafka's) placement
            "retry.backoff.ms": 10})
        made.init_transactions(30)  # fences the previous producer under the same id
        return made

    producers = ({0: producer(f"{settings.app_id}.worker")} if one else
                 {index: producer(f"{settings.app_id}.decide.p{index}")
                  for index in range(PARTITIONS)})
    lanes = ThreadPoolExecutor(PARTITIONS, initializer=label_thread("tx threads"))
    start = threads_cpu()  # the consumer's start and fetches count (librdkafka's fetch ahead)
    consumer.subscribe([config["input"]], on_assign=lambda _c, _ps: announce_ready())

    took: list[float] = []  # each transaction's seconds, begin to commit

    def transact(index: int, txn: Txn, group: Any) -> None:
        begun = time.perf_counter()
        p = producers[index]
        p.begin_transaction()
        for topic, key, value, partition, headers in txn.outputs:
            if partition is None:
                p.produce(topic, value, key, headers=headers)
            else:
                p.produce(topic, value, key, partition, headers=headers)
        p.send_offsets_to_transaction([TopicPartition(t, n, o) for (t, n), o
                                       in txn.committed.items()], group, 30)
        p.commit_transaction(30)  # fails if any record of it was not delivered
        took.append(time.perf_counter() - begun)

    done = transactions = 0
    started: float | None = None
    try:
        while done < config["expected"]:
            # what is fetched, as aiokafka's getmany returns it: `consume(n, timeout)` alone
            # waits for n records or the whole timeout
            messages = consumer.consume(1, 0.1)
            if messages:
                messages += consumer.consume(config["batch"] - 1, 0)
            records = []
            for m in messages:
                if m.error() is not None:
                    raise RuntimeError(f"consume: {m.error()}")
                records.append((m.topic(), m.partition(), m.offset(), m.key(), m.value()))
            if not records:
                continue
            if started is None:
                started = time.perf_counter()
            txns = [(index, Txn(work.outputs(index, group), offsets_of(group)))
                    for index, group in sorted(by_index(records).items())]
            if one:
                txns = merged(txns)
            group_metadata = consumer.consumer_group_metadata()
            for future in [lanes.submit(transact, index, txn, group_metadata)
                           for index, txn in txns]:
                future.result()
            transactions += len(txns)
            done += len(records)
        return figures(done, transactions, started, start, work, took)
    finally:
        lanes.shutdown()
        consumer.close()


_ready = threading.Event()


def announce_ready() -> None:
    """The consumer has its partitions: the driver may offer records now (--rate)."""
    if not _ready.is_set():
        _ready.set()
        print("ready", flush=True)


def run_one(config: dict[str, Any]) -> None:
    """A run, in this process: prints its figures as one JSON line."""
    topics = Topics(**{name: tuple(v) if name == "inputs" else v
                       for name, v in config["topics"].items()})
    work = Work(config["work"], topics, config["state_topic"])
    client = config["client"]
    if client.startswith("aiokafka"):
        result = asyncio.run(run_aiokafka(config, work, client.endswith("-one")))
    else:
        result = run_confluent(config, work, client.endswith("-one"))
    print(json.dumps(result))


# ---------------------------------------------------------------- the driver


def run_topics(tag: str) -> tuple[Topics, str]:
    """A run's own output topics (its records are counted afterwards), and its group id."""
    p = f"kc{uuid.uuid4().hex[:6]}.{tag}"
    topics = Topics(inputs=(f"{p}.in",), released=f"{p}.released", quarantine=f"{p}.quarantine",
                    review=f"{p}.review", audit=f"{p}.audit", deadletter=f"{p}.deadletter")
    return topics, f"kc-{uuid.uuid4().hex[:8]}"


async def committed_offsets(kafka: KafkaConnection, group: str, topic: str) -> list[int | None]:
    from aiokafka import TopicPartition

    consumer = kafka.consumer(group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        return [await consumer.committed(TopicPartition(topic, p)) for p in range(PARTITIONS)]
    finally:
        await consumer.stop()


async def end_offsets(kafka: KafkaConnection, topic: str) -> list[int]:
    from aiokafka import TopicPartition

    consumer = kafka.consumer(group_id=None)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        ends = await consumer.end_offsets(tps)
        return [ends[tp] for tp in tps]
    finally:
        await consumer.stop()


async def offer(kafka: KafkaConnection, source: str, decisions: list[str],
                records: list[tuple[bytes, bytes]], rate: int) -> list[float]:
    """Produce `records` to `source` at `rate` per second, and read the decisions
    (`read_committed`, as downstream does): each record's seconds from its produce to its
    decision read."""
    from policies.decision import job_id_in_key

    consumer = kafka.consumer(*decisions, group_id=None, auto_offset_reset="earliest",
                              isolation_level="read_committed")
    await consumer.start()
    producer = kafka.producer(acks="all", linger_ms=0)
    await producer.start()
    sent: dict[bytes, float] = {}
    got: list[float] = []

    async def read() -> None:
        while len(got) < len(records):
            for messages in (await consumer.getmany(timeout_ms=200)).values():
                now = time.time()
                got.extend(now - sent[key] for key in
                           (job_id_in_key(m.key).encode() for m in messages) if key in sent)

    reader = asyncio.create_task(read())
    started = time.perf_counter()
    try:
        for i, (key, value) in enumerate(records):
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sent[key] = time.time()
            await producer.send(source, value, key=key)
        await asyncio.wait_for(reader, timeout=len(records) / rate + 120)
    finally:
        reader.cancel()
        await producer.stop()
        await consumer.stop()
    return got


def run_process(python: str, config: dict[str, Any], env: dict[str, str], kafka: KafkaConnection,
                offered: tuple[list[tuple[bytes, bytes]], int] | None,
                decisions: list[str]) -> tuple[dict[str, Any], list[float]]:
    """One run in a process of its own; with `offered` (records, rate), they are produced once
    its consumer has its partitions: its figures and each record's latency."""
    proc = subprocess.Popen([python, __file__, "--run", json.dumps(config)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    latencies: list[float] = []
    try:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise SystemExit(f"{config['client']} run failed:\n{proc.communicate()[1][-4000:]}")
        if offered is not None:
            latencies = asyncio.run(offer(kafka, config["input"], decisions, *offered))
        out, err = proc.communicate(timeout=1800)
    finally:
        if proc.poll() is None:
            proc.kill()
    if proc.returncode != 0:
        raise SystemExit(f"{config['client']} run failed:\n{err[-4000:]}")
    return json.loads(out.strip().splitlines()[-1]), latencies


def measure(kafka: KafkaConnection, client: str, python: str, work: str, source: str,
            expected: int, batch: int, linger_ms: int, env: dict[str, str],
            offered: tuple[list[tuple[bytes, bytes]], int] | None = None) -> dict[str, Any]:
    """One run over `source` (preloaded with `expected` records), or with `offered` (records,
    rate) over a topic of its own that they are produced to meanwhile."""
    from pipeline_throughput import output_counts

    from streams.kafka_admin import ensure_topics

    topics, group = run_topics(client.replace("-", ""))
    if offered is not None:
        source = f"{topics.released.rsplit('.', 1)[0]}.in"
        asyncio.run(ensure_topics(kafka, [source], PARTITIONS))
    state_topic = f"{group}-job-ids"
    outputs = [topics.released, topics.quarantine, topics.review, topics.audit,
               topics.deadletter, f"{group}-first-seen", state_topic]
    asyncio.run(ensure_topics(kafka, outputs, PARTITIONS))
    config = {"client": client, "work": work, "input": source, "expected": expected,
              "batch": batch, "linger_ms": linger_ms, "state_topic": state_topic,
              "topics": {"inputs": [source], "released": topics.released,
                         "quarantine": topics.quarantine, "review": topics.review,
                         "audit": topics.audit, "deadletter": topics.deadletter}}
    run_env = {**env, **topic_env(Topics(inputs=(source,), released=topics.released,
                                         quarantine=topics.quarantine, review=topics.review,
                                         audit=topics.audit, deadletter=topics.deadletter)),
               "AFTERGUARD_APP_ID": group, "AFTERGUARD_CREATE_TOPICS": "false"}
    result, latencies = run_process(python, config, run_env, kafka, offered,
                                    [topics.released, topics.quarantine])
    counts = asyncio.run(output_counts(kafka, outputs))
    committed = asyncio.run(committed_offsets(kafka, group, source))
    ends = asyncio.run(end_offsets(kafka, source))
    problems = []
    if committed != ends:
        problems.append(f"group offsets {committed}, input ends {ends}")
    audits = counts[topics.audit]
    if audits != expected:
        problems.append(f"{audits} audit records for {expected} inputs")
    if work == "copy" and (counts[topics.released], counts[topics.review]) != (expected,
                                                                                expected):
        problems.append(f"released {counts[topics.released]}, review {counts[topics.review]}")
    result.update({"client": client, "batch": batch, "written": sum(counts.values()),
                   "problems": problems, "load": os.getloadavg()[0], "latency": latencies})
    return result


def quantile(seconds: Sequence[float], q: float) -> float:
    """The q-quantile of `seconds`, in ms."""
    ordered = sorted(seconds) or [float("nan")]
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def kafka_side(run: dict[str, Any], python_only: bool = False) -> float:
    """CPU seconds of the run that were not its work (the decide step, or the copies): the
    clients' (with `python_only`, what of it the Python threads spent: under the GIL)."""
    threads = [v for k, v in run["cpu"].items() if not python_only or k in PYTHON_THREADS]
    return float(sum(threads) - run["work"])


def fit(runs: Sequence[dict[str, Any]], python_only: bool) -> tuple[float, float] | None:
    """Least squares of the Kafka side's CPU = a * messages + b * transactions (seconds)."""
    xs = [(r["messages"], r["transactions"], kafka_side(r, python_only)) for r in runs]
    smm = sum(m * m for m, _t, _c in xs)
    stt = sum(t * t for _m, t, _c in xs)
    smt = sum(m * t for m, t, _c in xs)
    smc = sum(m * c for m, _t, c in xs)
    stc = sum(t * c for _m, t, c in xs)
    det = smm * stt - smt * smt
    if len({round(t / m, 4) for m, t, _c in xs}) < 2 or det == 0:
        return None
    return (smc * stt - stc * smt) / det, (smm * stc - smt * smc) / det


def report(results: Sequence[dict[str, Any]], work: str) -> None:
    print(f"\nwork: {work}; CPU of each run's process from its consumer's start to its last "
          "commit, per message (us) and per transaction (ms); kafka = the process less the "
          "work (the clients), py = of which its Python threads (under the GIL); tx ms = a "
          "transaction's wall time, begin to commit")
    print(f"{'client':<14}{'run':>7}{'msgs':>7}{'tx':>6}{'rec/tx':>7}{'msg/s':>7}"
          f"{'process':>9}{'work':>6}{'kafka':>7}{'py':>6}{'ms/tx':>7}{'tx ms p50/p90':>15}  "
          f"{'threads (us/msg)':<46}"
          f"{'written':>8}{'load':>6}  check" + ("   latency ms p50/p99" if any(
              r["latency"] for r in results) else ""))
    for r in results:
        m = r["messages"]
        threads = " ".join(f"{label} {seconds / m * 1e6:.0f}"
                           for label, seconds in sorted(r["cpu"].items()) if seconds / m > 5e-7)
        print(f"{r['client']:<14}{r['run']:>7}{m:>7}{r['transactions']:>6}"
              f"{m / r['transactions']:>7.1f}{m / r['seconds']:>7.0f}"
              f"{sum(r['cpu'].values()) / m * 1e6:>9.0f}{r['work'] / m * 1e6:>6.0f}"
              f"{kafka_side(r) / m * 1e6:>7.0f}{kafka_side(r, True) / m * 1e6:>6.0f}"
              f"{kafka_side(r) / r['transactions'] * 1e3:>7.2f}"
              f"{quantile(r['took'], 0.5):>8.1f}/{quantile(r['took'], 0.9):<6.1f}  {threads:<46}"
              f"{r['written']:>8}{r['load']:>6.1f}  "
              + ("ok" if not r["problems"] else "; ".join(r["problems"]))
              + (f"   {quantile(r['latency'], 0.5):.0f}/{quantile(r['latency'], 0.99):.0f}"
                 if r["latency"] else ""))
    print("threads: loop = aiokafka's event loop, decide = the decide thread (aiokafka), main = "
          "the polling (and deciding) thread (confluent-kafka), tx threads = its transactions, "
          "rdkafka = librdkafka's own threads (outside the GIL)")
    print("\nthe Kafka side, fitted over each client's runs: a per message + b per transaction")
    for client in dict.fromkeys(r["client"] for r in results):
        runs = [r for r in results if r["client"] == client]
        whole, python = fit(runs, False), fit(runs, True)
        if whole is None or python is None:
            print(f"  {client}: one transaction size only (give --batch two sizes)")
            continue
        print(f"  {client:<14} a {whole[0] * 1e6:6.1f} us/msg, b {whole[1] * 1e3:5.2f} ms/tx"
              f"   (py: a {python[0] * 1e6:6.1f} us/msg, b {python[1] * 1e3:5.2f} ms/tx)")


def drive(kafka: KafkaConnection, args: argparse.Namespace) -> None:
    from pipeline_throughput import preload

    from streams.kafka_admin import ensure_topics

    clients = args.clients.split(",")
    unknown = set(clients) - set(CLIENTS)
    if unknown:
        raise SystemExit(f"unknown clients {sorted(unknown)}; known: {', '.join(CLIENTS)}")
    batches = [int(b) for b in args.batch.split(",")]
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    home = tempfile.mkdtemp(prefix="afterguard-kafka-clients-")
    env.update({"AFTERGUARD_HOME": home, "AFTERGUARD_DATA_DIR": home})
    inputs: dict[int, str] = {}
    rates = [int(rate) for rate in args.rate.split(",")] if args.rate else []
    if rates:  # records offered at a rate to topics of their own: nothing preloaded
        batches = []
    for count in sorted({args.messages if b >= 50 else args.small_messages for b in batches}):
        name = inputs[count] = f"kc{uuid.uuid4().hex[:6]}.in{count}"
        records = generate(count, name, malformed_every=0)
        asyncio.run(ensure_topics(kafka, [name], PARTITIONS))
        asyncio.run(preload(kafka, name, [(r.key.encode(), r.value) for r in records]))
    results = []
    for round_ in range(args.rounds):
        runs: list[tuple[int, int | None]] = [(batch, None) for batch in batches]
        runs += [(BATCH, rate) for rate in rates]
        for batch, rate in runs:
            count = (args.messages if batch >= 50 else args.small_messages) if rate is None \
                else rate * args.rate_seconds
            for client in clients:
                python = (args.confluent_python if client.startswith("confluent")
                          else sys.executable)
                offered = None
                if rate is not None:
                    fresh = generate(count, f"r{rate}-{uuid.uuid4().hex[:6]}", malformed_every=0)
                    offered = ([(r.key.encode(), r.value) for r in fresh], rate)
                result = measure(kafka, client, python, args.work, inputs.get(count, ""),
                                 count, batch, args.linger_ms, env, offered)
                result["run"] = f"{rate}/s" if rate is not None else str(batch)
                results.append(result)
                print(f"round {round_ + 1}: {client} {result['run']}: {result['messages']} msgs, "
                      f"{result['transactions']} tx, {sum(result['cpu'].values()):.2f} s CPU, "
                      f"{result['seconds']:.1f} s, load {result['load']:.1f}"
                      + (f"  PROBLEMS: {result['problems']}" if result["problems"] else ""),
                      flush=True)
    report(results, args.work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10000,
                        help="input records of the runs with --batch of 50 or more")
    parser.add_argument("--small-messages", type=int, default=2000,
                        help="input records of the runs with a --batch under 50")
    parser.add_argument("--batch", default="200,5",
                        help="records per poll, comma-separated (one run each)")
    parser.add_argument("--rate", default="",
                        help="instead of preloaded records: results/s offered while each run "
                             "consumes, comma-separated (one run each; polls of up to 200); "
                             "prints each result's latency from its produce to its decision "
                             "read by a read_committed consumer")
    parser.add_argument("--rate-seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--work", choices=("copy", "decide"), default="copy")
    parser.add_argument("--linger-ms", type=int, default=5,
                        help="confluent-kafka's linger.ms (its commit flushes at once)")
    parser.add_argument("--confluent-python", default=os.environ.get(
        "AFTERGUARD_CONFLUENT_PYTHON", sys.executable),
        help="an interpreter with confluent-kafka and the project")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one run, in this process
    args = parser.parse_args()
    if args.run:
        run_one(json.loads(args.run))
        return
    with tempfile.TemporaryDirectory(prefix="afterguard-bench-") as tmp:
        if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
            drive(load_kafka_connection(), args)
            return
        info = broker.start(Path(tmp) / "broker")
        try:
            drive(plaintext(info.bootstrap_servers), args)
        finally:
            broker.stop(Path(tmp) / "broker")


if __name__ == "__main__":
    main()
