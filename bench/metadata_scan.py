"""The metadata scan (streams/worker/metadata_scan.py): how many ordinary identifiers of each
shape it flags (false positives), and what it costs a record. The cost is printed beside the
pipeline's whole time per record on the same records (CPU seconds of this process, the median
of 3 runs).

    .venv/bin/python -m bench.metadata_scan [--ids 10000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from detectors import DetectorEngine
from policies import HashKey, LoadedPolicy, load_policy, shipped_policy_path
from streams.config import Topics
from streams.worker.codec import Decoded, RawRecord, decode
from streams.worker.metadata_scan import MetadataScanner
from streams.worker.pipeline import Pipeline

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def id_shapes(rng: random.Random) -> dict[str, Callable[[], str]]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return {
        "uuid4": lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "ulid": lambda: "".join(rng.choice(CROCKFORD) for _ in range(26)),
        "hex16 span id": lambda: f"{rng.getrandbits(64):016x}",
        "hex32 trace id": lambda: f"{rng.getrandbits(128):032x}",
        "job-N": lambda: f"job-{rng.randrange(10**7)}",
        "run-<epoch ms>": lambda: f"run-{rng.randrange(1_600_000_000_000, 1_800_000_000_000)}",
        "snowflake (19 digits)": lambda: str(rng.randrange(10**18, 2 * 10**18)),
        "order-<10 digits>": lambda: f"order-{rng.randrange(10**9, 10**10)}",
        "order-<12 digits>": lambda: f"order-{rng.randrange(10**11, 10**12)}",
        "tenant:<name>": lambda: "tenant:" + "".join(rng.choice(letters)
                                                     for _ in range(rng.randrange(3, 12))),
    }


def false_positives(policy: LoadedPolicy, count: int) -> None:
    scanner = MetadataScanner(policy)
    rng = random.Random(11)
    for shape, make in id_shapes(rng).items():
        hits: Counter[str] = Counter()
        for _ in range(count):
            for finding in scanner.findings({"job_id": make()}):
                hits[finding.entity] += 1
        print(f"  {shape:24} {sum(hits.values()):6d} of {count} flagged {dict(hits) or ''}")


def records(count: int) -> list[RawRecord]:
    rng = random.Random(3)
    return [RawRecord("in", 0, i, None, json.dumps({
        "job_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "agent_id": f"agent-{rng.randrange(20)}", "action": f"job.support.a{rng.randrange(10)}",
        "tenant": f"t{rng.randrange(5)}", "trace_id": f"{rng.getrandbits(128):032x}",
        "risk_tags": ["prod"],
        "output": {"note": f"customer {i} mailed bob{i}@example.org", "ok": True}}).encode())
        for i in range(count)]


def cpu_per_record(policy: LoadedPolicy, raws: list[RawRecord]) -> tuple[float, float]:
    """The pipeline's CPU time per record, and the metadata scan's share of it (the same
    records' metadata through a fresh scanner, in batches of 200 as the pipeline does)."""
    results = [decoded.result for raw in raws
               if isinstance(decoded := decode(raw, policy.policy.limits), Decoded)]
    whole, scan = [], []
    for _ in range(3):
        pipeline = Pipeline(DetectorEngine(entities=policy.policy.scanned_entities(),
                                           ner_model=None),
                            policy, HashKey.from_secret(bytes(range(32))), Topics(inputs=("in",)),
                            "bench")
        start = time.process_time()
        for i in range(0, len(raws), 200):
            pipeline.process(raws[i:i + 200], datetime.now(UTC))
        whole.append((time.process_time() - start) / len(raws))
        scanner = MetadataScanner(policy)
        start = time.process_time()
        for i in range(0, len(results), 200):
            scanner.check_each(results[i:i + 200])
        scan.append((time.process_time() - start) / len(results))
    return statistics.median(whole), statistics.median(scan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=10_000, help="ids of each shape")
    parser.add_argument("--records", type=int, default=2_000)
    args = parser.parse_args()
    for name in ("default", "strict"):
        print(f"policy {name}: ordinary ids flagged")
        false_positives(load_policy(shipped_policy_path(name)), args.ids)
    policy = load_policy(shipped_policy_path("default"))
    raws = records(args.records)
    whole, scan = cpu_per_record(policy, raws)
    print(f"default policy, {args.records} records (a unique UUID job_id and hex trace_id "
          f"each, agent/action/tenant repeating): the pipeline takes {whole * 1e6:.0f} µs a "
          f"record (CPU), of which the metadata scan {scan * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
