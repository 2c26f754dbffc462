"""Detection throughput on the same texts, in one run: Afterguard with NER, Afterguard
pattern-only, and presidio's BatchAnalyzerEngine (same small spaCy model).

    .venv/bin/python bench/detection_speed.py [path/to/synth_dataset_v2.json] [--repeat 3] [--cpu]
                                              [--coverage prose,windows]

Each engine is loaded and warmed up first; the figure is the median of `--repeat` full passes
over all texts (Afterguard: one `scan_batch` per pass, as a stream batch would call it;
presidio: `analyze_iterator` with nlp.pipe batching), the engines' passes interleaved (one pass
of each in turn per round), so that load from other work falls on all of them alike.
`--coverage` adds a row per NER coverage named (`detectors.coverage.COVERAGES`) beside the
engine's default one. Every Afterguard pass starts with the
engine's caches of clean values and keys emptied (`forget_seen`): a pass over texts the engine
has already seen would measure its cache, not its detectors (`--warm` keeps them, the figures
before 2026-11-27 23:30 UTC).
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable
from pathlib import Path

from detection_presidio import presidio_batch_analyzer, presidio_results
from timing import interleaved_runs

from detectors import DetectorEngine
from detectors.ner import NER_ENTITIES

_REPO = Path(__file__).resolve().parent.parent
# ../shared from the main checkout, ../../shared from a worktree under /work/wt/
DEFAULT_DATA = next((base / "shared/eval/pii/synth_dataset_v2.json" for base in _REPO.parents
                     if (base / "shared/eval/pii/synth_dataset_v2.json").exists()),
                    _REPO.parent / "shared/eval/pii/synth_dataset_v2.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cpu", action="store_true",
                        help="the process's CPU time instead of the wall clock (shared machines)")
    parser.add_argument("--warm", action="store_true",
                        help="keep the engines' caches of clean values across passes")
    parser.add_argument("--coverage", default="",
                        help="more NER coverages to time, comma-separated: windows, words, prose")
    args = parser.parse_args()
    texts = [str(r["full_text"]) for r in json.loads(args.data.read_text())]
    megabytes = sum(len(t.encode()) for t in texts) / 1e6

    with_ner = DetectorEngine()
    default = with_ner._ner.coverage if with_ner._ner else ""
    others = [c for c in args.coverage.split(",") if c and c != default]
    pattern_only = DetectorEngine(entities=with_ner.entities - NER_ENTITIES)
    presidio = presidio_batch_analyzer()

    def cold(engine: DetectorEngine) -> Callable[[], object]:
        def run() -> object:
            if not args.warm:
                engine.forget_seen()
            return engine.scan_batch(texts)
        return run

    runs: dict[str, Callable[[], object]] = {
        "Afterguard, NER on": cold(with_ner),
        **{f"  NER coverage {c}": cold(DetectorEngine(ner_coverage=c)) for c in others},
        "Afterguard, pattern-only": cold(pattern_only),
        "presidio batched (NER on)": lambda: list(presidio_results(presidio, texts)),
    }
    seconds = {name: statistics.median(times) for name, times
               in interleaved_runs(runs, args.repeat, cpu=args.cpu).items()}
    base = seconds["presidio batched (NER on)"]
    print(f"{len(texts)} texts, {megabytes:.3f} MB, median of {args.repeat} passes"
          f"{' (CPU time)' if args.cpu else ''}"
          f"{', caches kept across passes' if args.warm else ', caches emptied per pass'}"
          f", interleaved; NER on reads the engine's default coverage ({default})\n")
    print(f"{'engine':<28}{'texts/s':>10}{'MB/s':>9}{'vs presidio':>13}")
    for name, s in seconds.items():
        print(f"{name:<28}{len(texts) / s:>10.0f}{megabytes / s:>9.3f}{base / s:>12.1f}x")


if __name__ == "__main__":
    main()
