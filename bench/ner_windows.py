"""What NER over more of each prose leaf buys and costs: the strict-policy leak and the
throughput with NER on, for NER windows of 1 and 3 words around each candidate word (the
engine uses 1) and for whole leaves.

    .venv/bin/python bench/ner_windows.py [path/to/synth_dataset_v2.json] [--repeat 3]

Each setting runs `pii_leak.py` (strict policy, customer audience) and a timed
`DetectorEngine().scan_batch` over all texts (median of `--repeat` passes), one after the
other in one process, so the throughput figures compare with each other, not across runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pii_leak
from timing import timed_runs

from detectors import DetectorEngine, ner

SETTINGS = {"1 word (shipped)": 1, "3 words": 3, "whole leaf": None}


@contextmanager
def windows(words_around: int | None) -> Iterator[None]:
    """NerDetector with `words_around` words of context, or over whole leaves (None)."""
    init, find_windows = ner.NerDetector.__init__, ner.ner_windows

    def patched_init(self: ner.NerDetector, nlp: Any, *args: Any, **kwargs: Any) -> None:
        init(self, nlp, *args, **kwargs)
        self._words_around = words_around or 1

    def whole(text: str, words_around: int = 1, covered: Any = ()) -> list[tuple[int, int]]:
        return [(0, len(text))] if find_windows(text, words_around, covered) else []

    ner.NerDetector.__init__ = patched_init  # type: ignore[method-assign]
    if words_around is None:
        ner.ner_windows = whole
    try:
        yield
    finally:
        ner.NerDetector.__init__ = init  # type: ignore[method-assign]
        ner.ner_windows = find_windows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=pii_leak.DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = [str(r["full_text"]) for r in json.loads(args.data.read_text())]
    for name, words_around in SETTINGS.items():
        with windows(words_around):
            print(f"=== NER windows: {name}")
            sys.argv = ["pii_leak.py", str(args.data)]
            pii_leak.main()
            run: Callable[[], object] = partial(DetectorEngine().scan_batch, texts)
            seconds = statistics.median(timed_runs(run, args.repeat))
            print(f"Afterguard with NER: {len(texts) / seconds:.0f} texts/s\n")


if __name__ == "__main__":
    main()
