"""What signing and verifying records costs, beside what the worker already spends per record.

    .venv/bin/python bench/signing.py [--records 5000] [--repeat 5] [--batch 200]

Prints microseconds per record (median of the runs) for: the baseline (encoding a review item
to JSON, as the worker does for every item), Ed25519 signing (`RecordSigner.headers`) and
verification (`RecordVerifier.check`) of the same bytes, one signature per record and one per
batch of `--batch` records (`RecordSigner.headers_each`, as the worker signs a transaction's
records; each run verifies with a new verifier, so every batch root is verified once).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import timed_runs
from streams.signing import (
    RecordKind,
    RecordSigner,
    RecordVerifier,
    SigningKey,
    TrustedKeys,
)


def review_item(n: int) -> dict[str, object]:
    return {"item_id": f"rv-{n}", "job_id": f"job-{n}", "agent_id": "agent-a",
            "action": "job.support.lookup", "decision": "QUARANTINE",
            "output": {"log": "[REDACTED:CREDENTIAL] " + "x" * 400},
            "findings": [{"entity": "CREDENTIAL", "path": "$.log"}],
            "policy_snapshot": "2026.11.1:" + "ab" * 8, "job_hash": "sha256:" + "0" * 64}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    key = SigningKey.generate("worker")
    signer, verifier = RecordSigner(key), RecordVerifier(TrustedKeys.of(key))
    items = [review_item(n) for n in range(args.records)]
    values = [(f"job-{n}".encode(), json.dumps(item).encode()) for n, item in enumerate(items)]
    headers = [signer.headers(RecordKind.REVIEW_ITEM, k, v) for k, v in values]
    kind = RecordKind.REVIEW_ITEM
    batches = [[(kind, k, v) for k, v in values[i:i + args.batch]]
               for i in range(0, len(values), args.batch)]
    batch_headers = [h for batch in batches for h in signer.headers_each(batch)]

    def encode() -> None:
        for item in items:
            json.dumps(item).encode()

    def sign() -> None:
        for k, v in values:
            signer.headers(kind, k, v)

    def verify() -> None:
        for (k, v), h in zip(values, headers, strict=True):
            assert verifier.check(kind, k, v, h) is None

    def sign_batches() -> None:
        for batch in batches:
            signer.headers_each(batch)

    def verify_batches() -> None:
        fresh = RecordVerifier(TrustedKeys.of(key))
        for (k, v), h in zip(values, batch_headers, strict=True):
            assert fresh.check(kind, k, v, h) is None

    print(f"{args.records} records of ~{len(values[0][1])} bytes, median of {args.repeat} runs")
    for name, run in (("baseline: JSON-encode a review item", encode), ("sign (Ed25519)", sign),
                      ("verify (Ed25519)", verify),
                      (f"sign, one signature per {args.batch}", sign_batches),
                      (f"verify, one signature per {args.batch}", verify_batches)):
        per_record = statistics.median(timed_runs(run, args.repeat)) / args.records * 1e6
        print(f"  {name:38s} {per_record:7.1f} µs/record")


if __name__ == "__main__":
    main()
