"""The long chaos run: 20,000 action results with malformed and hostile records among them, the
worker killed with -9 twice and the broker restarted once while it works, then what a
`read_committed` consumer sees, counted, and how long each recovery took.

    AFTERGUARD_SAMPLING_KEY=$(openssl rand -hex 32) .venv/bin/python bench/chaos.py \\
        [--results 20000] [--poison 2000]

Starts its own broker in a temporary directory (the run restarts it). The short version is
tests/integration/test_chaos.py.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.chaos_run import run_chaos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=20_000, help="valid action results")
    parser.add_argument("--poison", type=int, default=2_000,
                        help="poison records (one in fifty a valid result with a 3 MB output)")
    args = parser.parse_args()
    # The run's own reader retries through the broker restart; its client's complaints are noise.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="afterguard-chaos-") as tmp:
        workdir = Path(tmp)
        key = workdir / "hash.key"
        key.write_text(secrets.token_hex(32))
        env = {"AFTERGUARD_HASH_KEY_FILE": str(key), "AFTERGUARD_HOME": str(workdir),
               "AFTERGUARD_SAMPLING_KEY": os.environ.get("AFTERGUARD_SAMPLING_KEY",
                                                         secrets.token_hex(32))}
        report = run_chaos(workdir, args.results, args.poison, env,
                           say=lambda line: print(line, flush=True), finish_timeout=1800)
    print()
    print("\n".join(report.lines()))
    print(report.verify_output.strip().splitlines()[-1] if report.verify_output else "")
    clean = (report.missing_decisions == report.duplicate_decisions == report.missing_audits
             == report.duplicate_audits == report.missing_letters == report.duplicate_letters
             == report.stray == report.verify_exit == 0)
    sys.exit(0 if clean else 1)


if __name__ == "__main__":
    main()
