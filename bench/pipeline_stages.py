"""The worker's pure path without Kafka, with the cost split per stage.

The worker's own objects (`streams.worker.app.Worker`: policy, engine, sampling, first-seen and
job-id state, signer) decide the demo mix in batches as the decide loop does, and sign what it
signs; nothing is produced. Prints results per second of wall time and of CPU time (the machine is
shared: CPU time compares runs made under different loads better) and CPU microseconds per
result for decode, scan, decide, sample, records (building and encoding the output records),
seal and sign.

    AFTERGUARD_SAMPLING_KEY=$(openssl rand -hex 32) .venv/bin/python bench/pipeline_stages.py \
        [--messages 4000] [--policy default|strict] [--batch 200] [--repeat 3] [--profile]
        [--default-gc] [--ids demo|uuid]

Each pass decides results it has not seen (its own job ids and seed), as a stream does: the
engine's and the metadata scanner's memories of clean values then hold what repeats from result
to result, not the previous pass's ids and values. `--same-records` decides the same results in
every pass instead (what this script did up to step 18: it flatters decode and scan).

`--ids uuid` gives each result the ids agents send (a fresh UUID `job_id` and a fresh 32-hex
`trace_id`, as W3C trace context writes it) instead of the demo's `stages<N>-<5 digits>` job ids
and no trace id: the metadata check (in the decode stage) scans each fresh id, and these cost
it more than the demo's. The demo mix is otherwise the same.

`--profile` prints cProfile's top entries of one pass instead.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policies import shipped_policy_path
from streams.audit.chain import AuditChain
from streams.config import load_settings
from streams.demo_data import generate
from streams.worker.app import Worker
from streams.worker.batch import BatchDecider
from streams.worker.codec import RawRecord
from streams.worker.collector import settle_after_start
from streams.worker.output_limits import OutputLimits
from streams.worker.stage_clock import StageClock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--policy", default="default")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--default-gc", action="store_true",
                        help="leave the garbage collector as Python sets it")
    parser.add_argument("--same-records", action="store_true",
                        help="decide the same results in every pass")
    parser.add_argument("--ids", choices=("demo", "uuid"), default="demo",
                        help="uuid: a fresh UUID job_id and 32-hex trace_id per result")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="afterguard-stages-")
    os.environ.update({"AFTERGUARD_HOME": home, "AFTERGUARD_DATA_DIR": home,
                       "AFTERGUARD_POLICY": str(shipped_policy_path(args.policy))})
    worker = Worker(load_settings())
    if not args.default_gc:
        settle_after_start()  # as `afterguard worker` does
    decider = BatchDecider(worker.pipeline, worker.first_seen, OutputLimits(16 << 20))
    signer, settings = worker.signer, worker.settings

    def batches_of(run: int) -> list[list[RawRecord]]:
        records = generate(args.messages, f"stages{run}", seed=7 + run, malformed_every=0)
        keyed = [(r.key, r.value) for r in records]
        if args.ids == "uuid":
            keyed = with_agent_ids([value for _, value in keyed], random.Random(run))
        raws = [RawRecord("agent.actions", i % 3, i, key.encode(), value)
                for i, (key, value) in enumerate(keyed)]
        return [raws[i:i + args.batch] for i in range(0, len(raws), args.batch)]

    # made before they are timed: the warm-up pass, then the measured ones
    runs = [batches_of(0 if args.same_records else run) for run in range(1 + args.repeat)]

    def one_pass(batches: list[list[RawRecord]]) -> StageClock:
        stages = worker.pipeline.stages = StageClock(time.thread_time)
        worker.job_ids.__init__(worker.job_ids.capacity)  # every job id new, as in a stream
        chain = AuditChain.fresh(3)
        for batch in batches:
            emits = decider.decide(batch, datetime.now(UTC), chain)
            if worker.pipeline.tally is not None:  # the decide loop counts them at commit
                worker.pipeline.tally.drain()
            started = stages.clock()
            signer.headers_each(  # as streams/worker/decided.py: BatchState.decide signs
                [(emit.topic, emit.key, emit.value) for emit in emits]
                + [(topic, key, value)
                   for topic, pending in ((settings.first_seen_topic, worker.first_seen.drain()),
                                          (settings.job_ids_topic, worker.job_ids.drain()))
                   for key, value in pending])
            stages.add("sign", started)
        return stages

    one_pass(runs[0])  # warm: first sightings, caches
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        one_pass(runs[1])
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        return
    rates, cpu_rates, splits = [], [], []
    for batches in runs[1:]:
        started, cpu_started = time.perf_counter(), time.process_time()
        stages = one_pass(batches)
        rates.append(args.messages / (time.perf_counter() - started))
        cpu_rates.append(args.messages / (time.process_time() - cpu_started))
        splits.append(stages)
    best = splits[cpu_rates.index(max(cpu_rates))]
    print(f"{args.messages} demo results ({args.ids} ids), policy {args.policy}, batches of "
          f"{args.batch}, best of {args.repeat}: {max(rates):.0f} results/s (median "
          f"{statistics.median(rates):.0f}); per CPU second {max(cpu_rates):.0f} (median "
          f"{statistics.median(cpu_rates):.0f})")
    print("  CPU " + best.split())


def with_agent_ids(values: list[bytes], rng: random.Random) -> list[tuple[str, bytes]]:
    """The demo results with a fresh UUID `job_id` (and Kafka key) and 32-hex `trace_id`."""
    keyed = []
    for value in values:
        document = json.loads(value)
        document["job_id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        document["trace_id"] = f"{rng.getrandbits(128):032x}"
        keyed.append((document["job_id"], json.dumps(document).encode()))
    return keyed


if __name__ == "__main__":
    main()
