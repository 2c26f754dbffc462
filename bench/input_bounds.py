"""The bounds check before parsing (streams/worker/json_shape.py): time per KB on hostile and on
normal records at 10 KB, 100 KB and 1 MB. It must stay flat as size grows (linear time), and
`json.loads` of the same bytes is printed beside it as the baseline. Times are CPU seconds of
this process (the median of 5 runs), so other work on a shared machine does not skew them.

    .venv/bin/python -m bench.input_bounds
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

from streams.worker.json_shape import excess

SIZES = (10_000, 100_000, 1_000_000)


def shapes(size: int) -> dict[str, bytes]:
    normal = json.dumps({"rows": [{"id": i, "name": "Ann Lee", "note": "ok [1] {2}"}
                                  for i in range(size // 45)]}).encode()[:size]
    return {
        "normal JSON": normal,
        "open brackets [[[...": b"[" * size,
        "quotes \"\"\"...": b'"' * size,
        "escaped quotes \"\\\"\\\"...": b'"' + b'\\"' * (size // 2),
        "digits 999...": b"9" * size,
        "strings of brackets": json.dumps(["[" * 50] * (size // 54)).encode(),
    }


def cpu_runs(run: Callable[[], object], repeat: int = 5) -> list[float]:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return times


def main() -> None:
    print(f"{'input':<28}" + "".join(f"{f'{n // 1000} KB µs/KB':>16}" for n in SIZES)
          + f"{'json.loads 1 MB µs/KB':>24}  (CPU)")
    for name in shapes(SIZES[0]):
        row = []
        for size in SIZES:
            data = shapes(size)[name]
            median = statistics.median(cpu_runs(lambda d=data: excess(d, 64, 100)))
            row.append(median * 1e6 / (len(data) / 1000))
        data = shapes(SIZES[-1])[name]

        def parse(d: bytes = data) -> None:
            try:
                json.loads(d)
            except (ValueError, RecursionError):
                pass

        baseline = statistics.median(cpu_runs(parse)) * 1e6 / (len(data) / 1000)
        print(f"{name:<28}" + "".join(f"{v:>16.1f}" for v in row) + f"{baseline:>24.1f}")


if __name__ == "__main__":
    main()
