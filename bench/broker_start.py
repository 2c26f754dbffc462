"""Start-up cost of the local broker's secure mode: `afterguard kafka start --secure` (CA and
certificates by openssl, SCRAM users at format time, SASL_SSL answering an admin login) beside
the plain broker as the baseline, each from a fresh state directory, alternating.

    .venv/bin/python bench/broker_start.py --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from streams import broker


def start_and_stop(state_dir: Path, secure: bool) -> float:
    started = time.perf_counter()
    broker.start(state_dir, secure_mode=secure)
    elapsed = time.perf_counter() - started
    broker.stop(state_dir)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    broker.ensure_jars()
    times: dict[bool, list[float]] = {False: [], True: []}
    with tempfile.TemporaryDirectory(prefix="afterguard-bench-broker-") as tmp:
        for n in range(args.repeat):
            for secure in (False, True):
                times[secure].append(start_and_stop(Path(tmp) / f"{n}-{secure}", secure))
    for secure, label in ((False, "plain (baseline)"), (True, "--secure")):
        runs = ", ".join(f"{t:.1f}" for t in times[secure])
        print(f"{label:17} median {statistics.median(times[secure]):5.1f} s   runs: {runs}")
    ratio = statistics.median(times[True]) / statistics.median(times[False])
    print(f"secure / plain: {ratio:.2f}x (fresh state directory: format, start, first answer)")


if __name__ == "__main__":
    main()
