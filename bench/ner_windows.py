"""What NER over more of each prose leaf buys and costs, side by side in one run: the
strict-policy leak, the tokens the model reads, and the throughput with NER on against
presidio, for each NER coverage (`detectors.coverage.COVERAGES`):

- `windows`: one word either side of capitalised words that are not common words (shipped);
- `words`:   also around lower-case words that are not everyday English words;
- `prose`:   every prose line of every leaf, whole;

and for wider windows (`windows-3`: three words either side).

    .venv/bin/python bench/ner_windows.py [path/to/synth_dataset_v2.json] [--repeat 3]
                                          [--cpu] [--only windows,prose]

The leak is `pii_leak.py` (strict policy, customer audience) per setting. The speed passes are
`DetectorEngine().scan_batch` over all texts as `detection_speed.py` times them, interleaved
(one pass of each setting in turn, `--repeat` rounds, median), with presidio's batched
analyzer timed in the same rounds, so the ratios compare within the run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pii_leak
from detection_presidio import presidio_batch_analyzer, presidio_results

from detectors import DetectorEngine, ner
from detectors.language import ner_spans

SETTINGS: dict[str, tuple[str, int]] = {
    "windows": ("windows", 1), "windows-3": ("windows", 3), "words": ("words", 1),
    "prose": ("prose", 1),
}
_LEAK_LINES = ("PERSON", "GPE", "LOCATION", "NRP", "ALL", "words outside")


@contextmanager
def coverage(name: str) -> Iterator[None]:
    """Every NerDetector made inside reads `name`'s coverage and words around."""
    init = ner.NerDetector.__init__
    kind, words_around = SETTINGS[name]

    def patched(self: ner.NerDetector, nlp: Any, *args: Any, **kwargs: Any) -> None:
        init(self, nlp, *args, **{**kwargs, "coverage": kind, "words_around": words_around})

    ner.NerDetector.__init__ = patched  # type: ignore[method-assign]
    try:
        yield
    finally:
        ner.NerDetector.__init__ = init  # type: ignore[method-assign]


def leak_summary(data: Path) -> list[str]:
    out = io.StringIO()
    sys.argv = ["pii_leak.py", str(data)]
    with contextlib.redirect_stdout(out):
        pii_leak.main()
    return [line for line in out.getvalue().splitlines() if line.startswith(_LEAK_LINES)]


def model_tokens(engine: DetectorEngine, texts: list[str], name: str) -> tuple[int, int]:
    """Tokens and characters the model reads over `texts` (distinct spans, as the engine runs
    them), with no pattern span taken away."""
    kind, words_around = SETTINGS[name]
    spans = {text[a:b] for text in texts for a, b in ner_spans(text, kind, words_around)}
    tokenizer = engine._ner._nlp.tokenizer if engine._ner else None
    assert tokenizer is not None
    return sum(len(tokenizer(s)) for s in spans), sum(map(len, spans))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=pii_leak.DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cpu", action="store_true", help="CPU time instead of the wall clock")
    parser.add_argument("--only", default=",".join(SETTINGS))
    args = parser.parse_args()
    names = args.only.split(",")
    texts = [str(r["full_text"]) for r in json.loads(args.data.read_text())]
    engines: dict[str, DetectorEngine] = {}
    for name in names:
        with coverage(name):
            print(f"=== NER coverage: {name}")
            print("\n".join(leak_summary(args.data)))
            engines[name] = DetectorEngine()
            tokens, chars = model_tokens(engines[name], texts, name)
            print(f"model reads {tokens} tokens, {chars} characters (distinct spans)\n")
    presidio = presidio_batch_analyzer()
    runs: dict[str, Callable[[], object]] = {
        name: partial(engines[name].scan_batch, texts) for name in names}
    runs["presidio"] = lambda: list(presidio_results(presidio, texts))
    clock = time.process_time if args.cpu else time.perf_counter
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for run in runs.values():
        run()  # warm-up
    for _ in range(args.repeat):
        for name, run in runs.items():
            start = clock()
            run()
            seconds[name].append(clock() - start)
    base = statistics.median(seconds["presidio"])
    print(f"{len(texts)} texts, median of {args.repeat} interleaved passes"
          f"{' (CPU time)' if args.cpu else ' (wall clock)'}")
    for name, times in seconds.items():
        s = statistics.median(times)
        print(f"{name:<12}{len(texts) / s:>8.0f} texts/s{base / s:>7.2f}x presidio")


if __name__ == "__main__":
    main()
