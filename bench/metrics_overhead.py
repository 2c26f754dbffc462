"""What the worker's metrics cost per record: the same batches decided by the pipeline without
metrics (the baseline) and with them (the outcome tally the pipeline keeps, and the per-batch
aggregation into Prometheus counters and histograms after a commit), alternating, in one run.

    .venv/bin/python bench/metrics_overhead.py [--records 2000] [--batch 200] [--rounds 5]

No broker: the commit is simulated (the aggregation runs on the batch as it would after
`commit_transaction`). Prints the median time per batch of each and the difference per record.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiokafka import ConsumerRecord, TopicPartition

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from streams.audit.chain import AuditChain
from streams.config import Topics
from streams.demo_data import generate
from streams.metrics.health import Health
from streams.metrics.server import new_registry
from streams.metrics.tally import OutcomeTally
from streams.metrics.worker import WorkerMetrics
from streams.worker.batch import BatchDecider
from streams.worker.codec import RawRecord
from streams.worker.first_seen import FirstSeen
from streams.worker.output_limits import OutputLimits
from streams.worker.pipeline import Pipeline
from streams.worker.review_stage import ReviewStage

TOPIC = "agent.actions"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    first_seen = FirstSeen()
    pipeline = Pipeline(DetectorEngine(), load_policy(shipped_policy_path("default")),
                        HashKey.from_secret(b"k" * 32), Topics(inputs=(TOPIC,)), "bench",
                        review=ReviewStage(None, first_seen.mark))
    decider = BatchDecider(pipeline, first_seen, OutputLimits(16 * 1024 * 1024))
    tally = OutcomeTally()
    metrics = WorkerMetrics(new_registry(), Health(300.0), tally, (TOPIC,))
    demo = generate(args.records, "bench", malformed_every=40)
    raws = [RawRecord(TOPIC, 0, n, r.key.encode(), r.value) for n, r in enumerate(demo)]
    batches = [raws[i:i + args.batch] for i in range(0, len(raws), args.batch)]
    now_ms = int(time.time() * 1000)
    parts = [{TopicPartition(TOPIC, 0): [
        ConsumerRecord(TOPIC, 0, raw.offset, now_ms, 0, raw.key, raw.value, None, 0, 0, [])
        for raw in batch]} for batch in batches]
    timings: dict[str, list[float]] = {"without metrics": [], "with metrics": []}
    for _ in range(args.rounds):
        for with_metrics in (False, True):
            pipeline.tally = tally if with_metrics else None
            for batch, part in zip(batches, parts, strict=True):
                chain = AuditChain.fresh(1)
                started = time.perf_counter()
                decider.decide(batch, datetime.now(UTC), chain)
                if with_metrics:
                    metrics.committed(part)
                timings["with metrics" if with_metrics else "without metrics"].append(
                    time.perf_counter() - started)
    base = statistics.median(timings["without metrics"])
    with_ = statistics.median(timings["with metrics"])
    print(f"{len(raws)} demo records in batches of {args.batch}, {args.rounds} rounds "
          f"(median time per batch)")
    print(f"  without metrics (baseline): {base * 1000:8.2f} ms")
    print(f"  with metrics:               {with_ * 1000:8.2f} ms")
    print(f"  difference per record:      {(with_ - base) / args.batch * 1e6:8.2f} us "
          f"({(with_ - base) / base:+.1%}; within the run-to-run noise of the pipeline)")
    # The metrics' own work alone: the tally's appends for one batch (its recorded outcomes
    # replayed) and the aggregation after the commit, many times.
    pipeline.tally = tally
    decider.decide(batches[0], datetime.now(UTC), AuditChain.fresh(1))
    entries, scans = tally.drain()
    repeats = 200
    started = time.perf_counter()
    for _ in range(repeats):
        for topic, outcome in entries:
            if isinstance(outcome, str):
                tally.dead_lettered(topic, outcome)
            else:
                tally.decided(topic, outcome)
        for seconds in scans:
            tally.scanned(seconds)
        metrics.committed(parts[0])
    hooks = (time.perf_counter() - started) / repeats
    print(f"  the metrics' own work:      {hooks * 1000:8.3f} ms per batch of {len(batches[0])}, "
          f"{hooks / len(batches[0]) * 1e6:.2f} us per record "
          f"({hooks / base:.2%} of the baseline batch)")


if __name__ == "__main__":
    main()
