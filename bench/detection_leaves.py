"""Pattern detectors per string leaf of agent outputs, as the stream worker scans them.

    .venv/bin/python bench/detection_leaves.py [--results 4000] [--repeat 7] [--cpu]

The outputs are the demo's realistic action results (`streams.demo_data.generate`); the engine
looks for the entity types of the shipped default policy (pattern detectors only, as the worker
runs it) and, for comparison, for every pattern entity type. The figure is the fastest of
`--repeat` passes (the machine is shared; the fastest pass is the least disturbed one).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from timing import timed_runs

from detectors import DetectorEngine
from detectors.ner import NER_ENTITIES
from detectors.walker import string_leaves
from policies import load_policy
from streams.demo_data import generate

DEFAULT_POLICY = Path(__file__).resolve().parent.parent / "policies" / "default.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cpu", action="store_true",
                        help="the process's CPU time instead of the wall clock (shared machines)")
    args = parser.parse_args()
    outputs = [json.loads(r.value)["output"]
               for r in generate(args.results, "bench", malformed_every=0)]
    leaves = [leaf for output in outputs for leaf in string_leaves(output)]
    every = DetectorEngine(entities=None).entities - NER_ENTITIES
    engines = {
        "default policy": DetectorEngine(load_policy(DEFAULT_POLICY).policy.scanned_entities()),
        "every pattern entity": DetectorEngine(entities=every),
    }
    print(f"{len(outputs)} results, {len(leaves)} string leaves, fastest of {args.repeat}\n")
    print(f"{'entities':<22}{'pass':<14}{'ms':>8}{'µs/leaf':>10}{'results/s':>11}")
    for name, engine in engines.items():
        passes: dict[str, Callable[[], object]] = {
            "patterns": lambda e=engine: [e._patterns(leaf) for leaf in leaves],  # the per-leaf stage alone
            "scan_batch": lambda e=engine: e.scan_batch(outputs),
        }
        for label, run in passes.items():
            seconds = min(timed_runs(run, args.repeat, cpu=args.cpu))
            print(f"{name:<22}{label:<14}{seconds * 1e3:>8.1f}{seconds / len(leaves) * 1e6:>10.2f}"
                  f"{len(outputs) / seconds:>11.0f}")


if __name__ == "__main__":
    main()
