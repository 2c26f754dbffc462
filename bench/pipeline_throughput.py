"""End-to-end throughput and latency of the worker through a real Kafka broker.

Prints, in one run over the same messages:
  - a bare aiokafka consume-and-produce passthrough (the ceiling of this machine and broker),
  - the same passthrough exactly once (a transaction per poll, as the worker writes),
  - the Afterguard worker (decode, scan, decide, produce decision + audit), with its resident
    memory at the end and the cost split per stage from its log: one worker, then two in one
    consumer group (--workers 1,2, the default), each over the same messages,
  - one worker again on the same stream where a fraction --adversarial (1 % by default; 0: no
    such run) of the results carry a worst-case payload of --adversarial-bytes (the costliest
    inputs of bench/adversarial.py), beside the clean stream,
  - one worker's resident memory after --rss-results results (100,000 by default; the clean
    one-worker run's when --messages is as many; 0: not measured),
  - produce-to-decision latency p50/p99 at a fixed offered rate,
  - and last, issue 15's targets beside the figures of this run.

    .venv/bin/python bench/pipeline_throughput.py [--messages 20000] [--rate 200,1000]
        [--seconds 20] [--workers 1,2] [--policy default|strict] [--adversarial 0.01]
        [--adversarial-bytes 1024] [--rss-results 100000] [--latency-only]

Uses KAFKA_BOOTSTRAP_SERVERS if set, else starts a local broker in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from aiokafka import TopicPartition

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policies import shipped_policy_path
from policies.decision import job_id_in_key
from streams import broker
from streams.config import Topics, load_kafka_connection, topic_env
from streams.demo_data import generate
from streams.kafka_admin import ensure_topics, partition_counts
from streams.kafka_connection import KafkaConnection, plaintext
from streams.worker.process import WorkerProcess

PARTITIONS = 3
# The engine's costliest inputs per byte (bench/adversarial.py, docs/benchmarks.md).
WORST_UNITS = ("12 Main St\nApt 4\n", "12 Anna ", "Anna and ", "aged 1 ", "born in Anna ",
               "Dear Anna ", "12 Main St\n", "Anna: hi\n")


def with_adversarial(payload: list[tuple[bytes, bytes]], fraction: float,
                     size: int) -> list[tuple[bytes, bytes]]:
    """The same stream with every 1/fraction-th result carrying a worst-case output."""
    every = max(1, round(1 / fraction))
    mixed = []
    for i, (key, value) in enumerate(payload):
        if i % every == every - 1:
            unit = WORST_UNITS[(i // every) % len(WORST_UNITS)]
            text = (unit * (size // len(unit) + 1))[:size]
            value = json.dumps({"job_id": key.decode(), "agent_id": "agent-adv",
                                "action": "job.support.lookup", "tenant": "acme",
                                "output": {"notes": text}}).encode()
        mixed.append((key, value))
    return mixed


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def preload(kafka: KafkaConnection, topic: str, values: list[tuple[bytes, bytes]]) -> None:
    producer = kafka.producer(acks="all", linger_ms=20,
                                max_batch_size=262144)
    await producer.start()
    try:
        for key, value in values:
            await producer.send(topic, value, key=key)
        await producer.flush()
    finally:
        await producer.stop()


async def passthrough(kafka: KafkaConnection, source: str, sink: str,
                      expected: int) -> tuple[float, float]:
    """Consume everything from `source` and produce it to `sink`, committing as we go."""
    consumer = kafka.consumer(source, group_id=uuid.uuid4().hex,
                                auto_offset_reset="earliest", enable_auto_commit=False,
                                max_poll_records=1000)
    producer = kafka.producer(acks="all", linger_ms=5)
    await consumer.start()
    await producer.start()
    started, done = time.perf_counter(), 0
    cpu = time.process_time()
    try:
        while done < expected:
            batches = await consumer.getmany(timeout_ms=500, max_records=1000)
            for messages in batches.values():
                for m in messages:
                    await producer.send(sink, m.value, key=m.key)
                done += len(messages)
            await producer.flush()
            await consumer.commit()
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        await producer.stop()
        await consumer.stop()


async def transactional_passthrough(kafka: KafkaConnection, source: str, sink: str,
                                    expected: int, batch: int) -> tuple[float, float]:
    """The same copy, exactly once as the worker does it: each poll's records and its input
    offsets in one transaction (the ceiling's cost of transactions, at the worker's batch)."""
    group = uuid.uuid4().hex
    consumer = kafka.consumer(source, group_id=group, auto_offset_reset="earliest",
                              enable_auto_commit=False, isolation_level="read_committed",
                              max_poll_records=batch)
    producer = kafka.producer(transactional_id=f"bench-{group}", linger_ms=5)
    await consumer.start()
    await producer.start()
    started, done = time.perf_counter(), 0
    cpu = time.process_time()
    try:
        while done < expected:
            batches = await consumer.getmany(timeout_ms=500, max_records=batch)
            if not batches:
                continue
            await producer.begin_transaction()
            for messages in batches.values():
                for m in messages:
                    await producer.send(sink, m.value, key=m.key)
                done += len(messages)
            await producer.send_offsets_to_transaction(
                {tp: messages[-1].offset + 1 for tp, messages in batches.items()}, group)
            await producer.commit_transaction()
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        await producer.stop()
        await consumer.stop()


async def wait_for(kafka: KafkaConnection, topics: list[str], expected: int,
                   timeout: float) -> float:
    """Seconds from the first output record to the `expected`-th (the group's assignment and
    the worker's start-up are not counted). Records are counted as a read_committed consumer
    reads them: the worker writes in transactions, whose markers also take offsets."""
    consumer = kafka.consumer(*topics, group_id=None, auto_offset_reset="earliest",
                              enable_auto_commit=False, isolation_level="read_committed")
    await consumer.start()
    try:
        started = time.perf_counter()
        first: float | None = None
        done = 0
        while time.perf_counter() - started < timeout:
            batches = await consumer.getmany(timeout_ms=50)
            done += sum(len(messages) for messages in batches.values())
            if done and first is None:
                first = time.perf_counter()
            if done >= expected:
                return time.perf_counter() - (first or started)
    finally:
        await consumer.stop()
    raise TimeoutError(f"fewer than {expected} records on {topics} after {timeout}s")


async def output_counts(kafka: KafkaConnection, topics: list[str]) -> dict[str, int]:
    """Records on each topic as a read_committed consumer reads them (all of them: the run
    is over)."""
    consumer = kafka.consumer(group_id=None, auto_offset_reset="earliest",
                              enable_auto_commit=False, isolation_level="read_committed")
    await consumer.start()
    try:
        partitions = await partition_counts(kafka, topics)
        tps = [TopicPartition(topic, p) for topic in topics for p in range(partitions[topic])]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        counts = dict.fromkeys(topics, 0)
        while any([await consumer.position(tp) < ends[tp] for tp in tps]):
            for tp, messages in (await consumer.getmany(timeout_ms=200)).items():
                counts[tp.topic] += len(messages)
        return counts
    finally:
        await consumer.stop()


Latency = tuple[float, float]  # seconds from produce to: the decision appended, its read


async def latency(kafka: KafkaConnection, topics: Topics, rate: int, seconds: int,
                  warm_up: bool = True) -> list[Latency]:
    """Each result's seconds from its produce to its decision, as a read_committed consumer
    of the released and quarantine topics reads it (default fetch settings), and to the
    moment the worker appended the decision to its transaction (the record's CreateTime, same
    machine clock): the rest is the transaction and its visibility downstream."""
    # Warm-up: the first results also wait for the group's assignment; not measured.
    if warm_up:
        warm = generate(50, "warm-" + uuid.uuid4().hex[:6], malformed_every=0)
        await preload(kafka, topics.inputs[0], [(r.key.encode(), r.value) for r in warm])
        await wait_for(kafka, [topics.audit], len(warm), timeout=120)
    records = generate(rate * seconds, "lat-" + uuid.uuid4().hex[:6], malformed_every=0)
    sent: dict[bytes, float] = {}
    got: list[Latency] = []
    consumer = kafka.consumer(topics.released, topics.quarantine,
                                auto_offset_reset="latest", group_id=uuid.uuid4().hex,
                                isolation_level="read_committed")  # as downstream sees them
    await consumer.start()
    while not consumer.assignment():
        await consumer.getmany(timeout_ms=100)
    for tp in consumer.assignment():  # "latest" resolved before the first result is sent: a
        await consumer.position(tp)   # decision written before it would be missed (a hang)
    producer = kafka.producer(acks="all", linger_ms=0)
    await producer.start()

    async def read() -> None:
        while len(got) < len(records):
            for messages in (await consumer.getmany(timeout_ms=200)).values():
                now = time.time()
                keys = [(m, job_id_in_key(m.key).encode()) for m in messages]  # topic/job_id
                got.extend((m.timestamp / 1000 - sent[key], now - sent[key])
                           for m, key in keys if key in sent)

    reader = asyncio.create_task(read())
    started = time.perf_counter()
    for i, record in enumerate(records):
        delay = started + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        sent[record.key.encode()] = time.time()
        await producer.send(topics.inputs[0], record.value, key=record.key.encode())
    await asyncio.wait_for(reader, timeout=seconds + 60)
    await producer.stop()
    await consumer.stop()
    return got


def make_topics(tag: str) -> Topics:
    p = f"bench{uuid.uuid4().hex[:6]}.{tag}"
    return Topics(inputs=(f"{p}.in",), released=f"{p}.released", quarantine=f"{p}.quarantine",
                  review=f"{p}.review", audit=f"{p}.audit", deadletter=f"{p}.deadletter")


def worker_run(kafka: KafkaConnection, env: dict[str, str], payload: list[tuple[bytes, bytes]],
               workers: int, workdir: Path, name: str,
               ) -> tuple[float, float, list[float], list[str], dict[str, int]]:
    """`workers` worker processes in one group over `payload`: seconds from the first output
    to the last audit record, the workers' CPU seconds meanwhile, each worker's resident
    memory then, its stage split, and the records written to each output and state topic."""
    worker_topics = make_topics("tp-workers")
    asyncio.run(ensure_topics(kafka, [*worker_topics.inputs, worker_topics.released,
                                      worker_topics.quarantine, worker_topics.review,
                                      worker_topics.audit, worker_topics.deadletter],
                              PARTITIONS))
    tag = "-".join(name.split()).replace("%", "")
    app_id = "bench-" + uuid.uuid4().hex[:6]
    # Workers first, on an empty topic, so that the group has settled before the messages come.
    group = [WorkerProcess({**env, **topic_env(worker_topics), "AFTERGUARD_APP_ID": app_id,
                            "AFTERGUARD_DATA_DIR": str(workdir / f"w1-{tag}-{n}"),
                            "AFTERGUARD_WORKER_ID": f"bench-{n}"},
                           workdir / f"worker-{tag}-{n}.log")
             for n in range(workers)]
    rss: list[float] = []
    try:
        for worker in group:
            worker.wait_ready()
        time.sleep(5 if workers > 1 else 1)
        idle_cpu = sum(cpu_seconds(worker.proc.pid) for worker in group)
        asyncio.run(preload(kafka, worker_topics.inputs[0], payload))
        elapsed = asyncio.run(wait_for(kafka, [worker_topics.audit], len(payload), timeout=1800))
        cpu = sum(cpu_seconds(worker.proc.pid) for worker in group) - idle_cpu
        rss = [rss_mb(worker.proc.pid) for worker in group]
    finally:
        for worker in group:
            worker.stop()
    splits = [split for worker in group for split in stage_splits(worker)]
    t = worker_topics
    written = asyncio.run(output_counts(kafka, [
        t.released, t.quarantine, t.review, t.audit, t.deadletter, f"{app_id}-first-seen",
        f"{app_id}-job-ids"]))
    return elapsed, cpu, rss, splits, written


def stage_splits(worker: WorkerProcess) -> list[str]:
    """The worker's stage split (wall-clock) and its threads' CPU per result, from its log."""
    return [("CPU per result: " if "CPU per result" in line else "") + line.split(": ", 2)[-1]
            for line in worker.log_text().splitlines()
            if "stage costs over" in line or "CPU per result over" in line]


def latency_run(kafka: KafkaConnection, env: dict[str, str], rates: list[int], seconds: int,
                workdir: Path) -> tuple[dict[int, list[Latency]], list[str]]:
    """One worker on its own topics, each rate offered in turn for `seconds`; with its stage
    split over all of them."""
    lat_topics = make_topics("lat")
    env_lat = {**env, **topic_env(lat_topics), "AFTERGUARD_APP_ID": "bench-" + uuid.uuid4().hex[:6],
               "AFTERGUARD_DATA_DIR": str(workdir / "w2")}
    worker = WorkerProcess(env_lat, workdir / "worker-latency.log")
    try:
        worker.wait_ready()
        lats = {rate: asyncio.run(latency(kafka, lat_topics, rate, seconds, warm_up=n == 0))
                for n, rate in enumerate(rates)}
    finally:
        worker.stop()
    return lats, stage_splits(worker)


def ms(values: list[float], q: float) -> float:
    """The q-quantile of `values` (seconds), in ms."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def print_latency(run: tuple[dict[int, list[Latency]], list[str]], seconds: int) -> None:
    lats, splits = run
    for rate, pairs in lats.items():
        read, appended = [r for _a, r in pairs], [a for a, _r in pairs]
        print(f"\nlatency, produce -> decision, at {rate} msg/s offered for {seconds}s "
              f"({len(read)} results, load average {os.getloadavg()[0]:.1f}):")
        print(f"  p50 {ms(read, 0.5):.1f} ms   p99 {ms(read, 0.99):.1f} ms   "
              f"max {max(read) * 1000:.1f} ms")
        print(f"  of which until the worker appended the decision: p50 "
              f"{ms(appended, 0.5):.1f} ms   p99 {ms(appended, 0.99):.1f} ms")
    print("the latency runs' worker, over all rates and its warm-up:")
    for split in splits:
        print(f"  {split}")


# worker count, stream, seconds, CPU seconds, RSS per worker, stage splits, records written
Measured = tuple[int, str, float, float, list[float], list[str], dict[str, int]]


def rss_run(kafka: KafkaConnection, env: dict[str, str], results: int,
            workdir: Path) -> tuple[float, float]:
    """One worker over `results` results of the demo mix on topics of its own: its resident
    memory at the end (MB) and its results per second."""
    records = generate(results, "rss", malformed_every=0)
    payload = [(r.key.encode(), r.value) for r in records]
    topics = make_topics("rss")
    env = {**env, **topic_env(topics)}
    elapsed, _cpu, rss, _splits, _written = worker_run(kafka, env, payload, 1, workdir,
                                                       f"rss {results}")
    return rss[0], results / elapsed


def print_targets(messages: int, ceiling: float, measured: list[Measured],
                  lats: dict[int, list[Latency]], rss: tuple[int, float] | None,
                  policy: str) -> None:
    """Issue 15's targets beside this run's figures."""
    def verdict(met: bool) -> str:
        return "met" if met else "NOT met"

    clean = {count: elapsed for count, name, elapsed, *_ in measured if name == "clean"}
    print(f"\nissue 15 targets ({policy} policy; the figures of this run):")
    if 1 in clean:
        per_s = messages / clean[1]
        share = per_s / (messages / ceiling)
        floor = 5000 if policy == "default" else 1000
        print(f"  1 worker >= {floor:,} results/s"
              + (" and >= 30 % of the passthrough" if policy == "default" else "")
              + f": {per_s:,.0f}/s, {share:.1%}: "
              + verdict(per_s >= floor and (policy != "default" or share >= 0.3)))
    if lats.get(1000):
        p99 = ms([read for _appended, read in lats[1000]], 0.99)
        print(f"  latency p99 <= 50 ms at 1,000/s offered: {p99:,.0f} ms: {verdict(p99 <= 50)}")
    else:
        print("  latency p99 <= 50 ms at 1,000/s offered: not measured (--rate without 1000)")
    if rss is None:
        print("  worker RSS <= 400 MB after 100,000 results: not measured (--rss-results 0)")
    else:
        results, mb = rss
        print(f"  worker RSS <= 400 MB after 100,000 results: {mb:.0f} MB after {results:,}: "
              + (verdict(mb <= 400) if results >= 100_000 else "fewer results than the target's"))
    for count, name, elapsed, *_ in measured:
        if name != "clean" and count in clean:
            kept = clean[count] / elapsed
            print(f"  {name} stream >= 80 % of the clean stream's throughput ({count} worker): "
                  f"{kept:.0%}: {verdict(kept >= 0.8)}")
    for count, elapsed in clean.items():
        if count != 1 and 1 in clean:
            print(f"  scale-out, {count} workers against 1 (stage costs above): "
                  f"{clean[1] / elapsed:.2f}x the results per second")


def run(kafka: KafkaConnection, messages: int, rates: list[int], seconds: int,
        workers: list[int], workdir: Path, policy: str = "default", adversarial: float = 0.01,
        adversarial_bytes: int = 1024, rss_results: int = 100_000,
        latency_only: bool = False) -> None:
    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
           "AFTERGUARD_APP_ID": "bench-" + uuid.uuid4().hex[:6],
           "AFTERGUARD_DATA_DIR": str(workdir / "w1"), "AFTERGUARD_HOME": str(workdir),
           "AFTERGUARD_POLICY": str(shipped_policy_path(policy))}
    if latency_only:
        print_latency(latency_run(kafka, env, rates, seconds, workdir), seconds)
        return
    records = generate(messages, "tp", malformed_every=0)
    payload = [(r.key.encode(), r.value) for r in records]
    mb = sum(len(v) for _, v in payload) / 1e6
    topics = make_topics("tp")
    ceiling_sink = topics.inputs[0] + ".copy"
    asyncio.run(ensure_topics(kafka, [*topics.inputs, topics.released, topics.quarantine,
                                topics.review, topics.audit, topics.deadletter,
                                ceiling_sink, ceiling_sink + ".tx"], PARTITIONS))
    asyncio.run(preload(kafka, topics.inputs[0], payload))

    ceiling, ceiling_cpu = asyncio.run(passthrough(kafka, topics.inputs[0], ceiling_sink,
                                                   messages))
    batch = int(os.environ.get("AFTERGUARD_BATCH_SIZE", "200"))
    exactly_once, exactly_once_cpu = asyncio.run(transactional_passthrough(
        kafka, topics.inputs[0], ceiling_sink + ".tx", messages, batch))

    env = {**env, **topic_env(topics)}
    runs = [(count, "clean", payload) for count in workers]
    if adversarial:  # one worker: the target compares a stream with its clean twin
        worst = with_adversarial(payload, adversarial, adversarial_bytes)
        runs.append((workers[0], f"{adversarial:.0%} worst-case", worst))
    measured: list[Measured] = []
    for count, name, stream in runs:
        measured.append((count, name, *worker_run(kafka, env, stream, count, workdir,
                                                  f"{name} {count}")))
    rss_after: tuple[int, float] | None = None  # results, MB
    one = [m for m in measured if m[0] == 1 and m[1] == "clean"]
    if one and messages >= rss_results > 0:
        rss_after = (messages, one[0][4][0])
    elif rss_results > 0:
        after_mb, per_s = rss_run(kafka, env, rss_results, workdir)
        rss_after = (rss_results, after_mb)
        print(f"one worker over {rss_results:,} results: {per_s:,.0f} results/s, "
              f"RSS at the end {after_mb:.0f} MB")

    lats = latency_run(kafka, env, rates, seconds, workdir)

    print(f"\nmessages: {messages} action results, {mb:.1f} MB, {PARTITIONS} partitions, "
          f"{' and '.join(map(str, workers))} worker process(es) in one group, "
          f"{os.cpu_count()} cores")
    print("(msg/CPU s: messages per CPU second of the client process(es), broker excluded: "
          "comparable across loads)")
    print(f"{'pipeline':<46}{'msg/s':>8}{'MB/s':>7}{'seconds':>9}{'msg/CPU s':>11}")
    print(f"{'aiokafka passthrough (consume+produce)':<46}{messages / ceiling:>8.0f}"
          f"{mb / ceiling:>7.2f}{ceiling:>9.2f}{messages / ceiling_cpu:>11.0f}")
    print(f"{f'aiokafka transactional passthrough, {batch}/tx':<46}"
          f"{messages / exactly_once:>8.0f}{mb / exactly_once:>7.2f}{exactly_once:>9.2f}"
          f"{messages / exactly_once_cpu:>11.0f}")
    for count, name, elapsed, cpu, rss, splits, written in measured:
        print(f"{f'afterguard, {count} worker(s), {policy}, {name}':<46}"
              f"{messages / elapsed:>8.0f}{mb / elapsed:>7.2f}{elapsed:>9.2f}"
              f"{messages / cpu:>11.0f}")
        print(f"  {messages / elapsed / (messages / ceiling):.1%} of the passthrough; "
              f"worker CPU {cpu:.1f} s")
        print(f"  worker RSS at the end: {', '.join(f'{r:.0f} MB' for r in rss)}")
        for split in splits:
            print(f"  {split}")
        print(f"  records written per result: {sum(written.values()) / messages:.2f} ("
              + ", ".join(f"{topic.rsplit('.', 1)[-1].rsplit('-', 1)[-1]} "
                          f"{n / messages:.2f}" for topic, n in written.items()) + ")")
    clean = {count: (elapsed, cpu) for count, name, elapsed, cpu, *_ in measured
             if name == "clean"}
    for count, name, elapsed, cpu, *_ in measured:
        if name != "clean":
            print(f"  {count} worker(s): the worst-case stream keeps "
                  f"{clean[count][0] / elapsed:.0%} of the clean stream's throughput "
                  f"({clean[count][1] / cpu:.0%} per CPU second)")
    if 1 in clean:
        for count, (elapsed, cpu) in clean.items():
            if count != 1:
                print(f"  {count} workers against 1: {clean[1][0] / elapsed:.2f}x the results "
                      f"per second, {clean[1][1] / cpu:.2f}x per CPU second")
    print_latency(lats, seconds)
    if rss_after is not None and rss_after[0] != messages:
        print(f"\none worker's RSS after {rss_after[0]:,} results: {rss_after[1]:.0f} MB")
    print_targets(messages, ceiling, measured, lats[0], rss_after, policy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--rate", default="200",
                        help="offered results/s of the latency runs (comma-separated: one "
                             "after the other, same worker)")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", default="1,2",
                        help="worker processes in one consumer group, one run per count "
                             "(comma-separated)")
    parser.add_argument("--policy", default="default", help="a shipped policy (strict: NER on)")
    parser.add_argument("--adversarial", type=float, default=0.01,
                        help="fraction of results with a worst-case payload (a run of one "
                             "worker beside the clean stream's; 0: none)")
    parser.add_argument("--adversarial-bytes", type=int, default=1024)
    parser.add_argument("--rss-results", type=int, default=100_000,
                        help="one worker's resident memory after this many results (a run of "
                             "its own unless --messages is as many; 0: not measured)")
    parser.add_argument("--latency-only", action="store_true",
                        help="only the latency runs (no passthrough, no throughput runs)")
    args = parser.parse_args()
    workers = [int(count) for count in args.workers.split(",")]
    rates = [int(rate) for rate in args.rate.split(",")]
    options = {"policy": args.policy, "adversarial": args.adversarial,
               "adversarial_bytes": args.adversarial_bytes, "rss_results": args.rss_results,
               "latency_only": args.latency_only}
    with tempfile.TemporaryDirectory(prefix="afterguard-bench-") as tmp:
        workdir = Path(tmp)
        if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
            run(load_kafka_connection(), args.messages, rates, args.seconds, workers,
                workdir, **options)
            return
        info = broker.start(workdir / "broker")
        try:
            run(plaintext(info.bootstrap_servers), args.messages, rates, args.seconds,
                workers, workdir, **options)
        finally:
            broker.stop(workdir / "broker")


if __name__ == "__main__":
    main()
