"""Honest lists of short items flagged by the joined reading of `detectors/split_items.py`.

    PYTHONPATH=$PWD .venv/bin/python bench/split_items.py [--lists 2000]

Random lists of each shape an honest output holds (digits, small numbers, four-digit numbers,
floats, words, letters), each as `{"values": [...]}` through the pattern detectors (no NER):
the share flagged. Every finding here is a false positive.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from typing import Any

from detectors.engine import DetectorEngine

_WORDS = ["ok", "red", "blue", "id", "eu-west", "x", "on", "off", "tag", "prod", "v2"]


def shapes(rng: random.Random) -> dict[str, Callable[[], list[Any]]]:
    return {
        "16 single-digit numbers": lambda: [rng.randrange(10) for _ in range(16)],
        "16 single-digit strings": lambda: [str(rng.randrange(10)) for _ in range(16)],
        "4 four-digit numbers": lambda: [rng.randrange(1000, 10000) for _ in range(4)],
        "4 four-digit strings": lambda: [str(rng.randrange(1000, 10000)) for _ in range(4)],
        "5 numbers 0-999": lambda: [rng.randrange(1000) for _ in range(5)],
        "6 floats": lambda: [round(rng.random() * 100, 2) for _ in range(6)],
        "2-12 short words": lambda: [rng.choice(_WORDS) for _ in range(rng.randrange(2, 12))],
        "8-30 letters": lambda: [chr(97 + rng.randrange(26)) for _ in range(rng.randrange(8, 30))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lists", type=int, default=2000, help="lists per shape")
    args = parser.parse_args()
    engine = DetectorEngine(ner_model=None)
    for name, make in shapes(random.Random(7)).items():
        flagged = sum(1 for _ in range(args.lists) if engine.scan({"values": make()}))
        print(f"{name:26} {flagged:5}/{args.lists} flagged ({flagged / args.lists:.1%})")


if __name__ == "__main__":
    main()
