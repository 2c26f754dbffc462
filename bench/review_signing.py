"""What signing a review transaction's verdicts and audit records costs the review service (on
its event loop, which also serves the API), and what verifying them costs each reader (the
scorer, `audit verify`, the sink): one Ed25519 signature per record, as the service signed
before, against one per 64 records of a transaction (`publisher.signed_together`).

    .venv/bin/python bench/review_signing.py [--tick 1000] [--repeat 5]

Two transaction shapes: one reviewer's verdict (a verdict and its audit record) and a clock
tick that times out `--tick` items (a verdict and an audit record each). CPU time, median of
interleaved runs, per transaction; verification by a new verifier each run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import interleaved_runs
from policies.decision import Decision
from policies.redact import HashKey
from sampling.verdict import Verdict, VerdictKind
from streams.review.audit_events import verdict_record
from streams.review.publisher import SIGNED_TOGETHER, signed_together
from streams.signing import (
    Headers,
    RecordKind,
    RecordSigner,
    RecordVerifier,
    SigningKey,
    TrustedKeys,
)

Signed = list[tuple[RecordKind, bytes, bytes]]


def verdict(n: int) -> Verdict:
    now = datetime.now(UTC)
    return Verdict(verdict_id=f"vd-{n:08d}", item_id=f"rv-{n}", job_id=f"job-{n}",
                   agent_id="agent-a", action="job.ops.run", verdict=VerdictKind.REJECT,
                   approver_id="afterguard-timeout", automatic=True, reviewer_group="ops-review",
                   decision=Decision.QUARANTINE, rule_ids=("credentials-quarantine",),
                   policy_snapshot="2026.11.1:" + "ab" * 8, job_hash="sha256:" + "0" * 64,
                   enqueued_at=now, decided_at=now, comment="high-risk item waited 7201s")


def transaction(first: int, verdicts: int, key: HashKey) -> Signed:
    made = [verdict(n) for n in range(first, first + verdicts)]
    audit = [verdict_record(v, "acme", "review-1", key, released=False) for v in made]
    return ([(RecordKind.VERDICT, v.job_id.encode(), v.model_dump_json().encode())
             for v in made]
            + [(RecordKind.REVIEW_AUDIT_RECORD, r.job_id.encode(), r.model_dump_json().encode())
               for r in audit])


def measure(shape: str, transactions: list[Signed], signer: RecordSigner,
            trusted: TrustedKeys, repeat: int) -> None:
    each = [[signer.headers(*r) for r in t] for t in transactions]
    together = [signed_together(signer, t) for t in transactions]

    def verify(headers: list[list[Headers]]) -> None:
        verifier = RecordVerifier(trusted)
        for t, made in zip(transactions, headers, strict=True):
            for record, h in zip(t, made, strict=True):
                assert verifier.check(*record, h) is None

    runs: dict[str, Callable[[], object]] = {
        "sign, one signature per record": lambda: [[signer.headers(*r) for r in t]
                                                   for t in transactions],
        f"sign, one per {SIGNED_TOGETHER} records": lambda: [signed_together(signer, t)
                                                             for t in transactions],
        "verify, one signature per record": lambda: verify(each),
        f"verify, one per {SIGNED_TOGETHER} records": lambda: verify(together),
    }
    times = interleaved_runs(runs, repeat, cpu=True)
    size = sum(len(v) for _, _, v in transactions[0]) // len(transactions[0])
    print(f"{shape}: {len(transactions[0])} signed records of ~{size} bytes per transaction")
    for name, seconds in times.items():
        per = statistics.median(seconds) / len(transactions) * 1e3
        print(f"  {name:38s} {per:8.2f} ms per transaction")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tick", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    signing = SigningKey.generate("review")
    signer, trusted = RecordSigner(signing), TrustedKeys.of(signing)
    key = HashKey.from_secret(b"k" * 32)
    print(f"median of {args.repeat} interleaved runs, CPU time, load: "
          f"{Path('/proc/loadavg').read_text().split()[0]}")
    measure("one verdict", [transaction(n * 2, 1, key) for n in range(200)], signer, trusted,
            args.repeat)
    measure(f"a tick of {args.tick} timeouts", [transaction(0, args.tick, key)], signer,
            trusted, args.repeat)


if __name__ == "__main__":
    main()
