"""Prints sha256 digests of what the worker's pure path writes for a fixed demo stream (every
record's topic, key and bytes) and of the pattern engine's findings over the same outputs.

Run by test_compiled_build.py in a subprocess, once with the compiled build and once with
AFTERGUARD_PURE_PYTHON=1 (the same source, uncompiled), with the same AFTERGUARD_HOME (so the
same hash and signing keys): the two must print the same digests.

    python tests/unit/detectors/outputs_digest.py HOME [COUNT]
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streams.worker.batch import BatchDecider
    from streams.worker.codec import RawRecord

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))


def written_digest(decider: BatchDecider, raws: list[RawRecord], now: datetime,
                   batch: int) -> hashlib._Hash:
    """The sha256 of every record (topic, key, bytes, partition) `decider` writes for `raws`,
    decided in batches of `batch` at `now` into a fresh chain of 3 audit partitions."""
    from streams.audit.chain import AuditChain
    chain, written = AuditChain.fresh(3), hashlib.sha256()
    for start in range(0, len(raws), batch):
        for emit in decider.decide(raws[start:start + batch], now, chain):
            written.update(repr((emit.topic, emit.key, emit.value, emit.partition)).encode())
    return written


def main() -> None:
    home, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 600
    from policies import shipped_policy_path
    os.environ.update({"AFTERGUARD_HOME": home, "AFTERGUARD_DATA_DIR": home,
                       "AFTERGUARD_POLICY": str(shipped_policy_path("default")),
                       "AFTERGUARD_SAMPLING_KEY": bytes(range(7, 39)).hex(),
                       "AFTERGUARD_WORKER_ID": "digest-worker"})
    from detectors import DetectorEngine
    from detectors.compiled_build import describe
    from streams.config import load_settings
    from streams.demo_data import generate
    from streams.worker.app import Worker
    from streams.worker.batch import BatchDecider
    from streams.worker.codec import RawRecord
    from streams.worker.output_limits import OutputLimits

    worker = Worker(load_settings())
    decider = BatchDecider(worker.pipeline, worker.first_seen, OutputLimits(16 << 20))
    records = generate(count, "digest", seed=11, malformed_every=40)
    raws = [RawRecord("agent.actions", i % 3, i, r.key.encode(), r.value)
            for i, r in enumerate(records)]
    written = written_digest(decider, raws, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), 100)
    outputs = []
    for record in records:
        try:
            outputs.append(json.loads(record.value))
        except ValueError:  # the malformed ones: dead letters above
            pass
    found, findings = hashlib.sha256(), 0
    for engine in (DetectorEngine(ner_model=None), worker.pipeline.engine):
        for _ in range(2):  # the second pass goes through the engine's memories
            for output in outputs:
                if isinstance(output, dict):
                    for finding in engine.scan(output.get("output"), output.get("tenant")):
                        found.update(repr(finding).encode())
                        findings += 1
    print(json.dumps({"build": describe().name, "written": written.hexdigest(),
                      "findings": findings, "found": found.hexdigest()}))


if __name__ == "__main__":
    main()
