"""Honest lists of short items flagged by the joined reading of `detectors/split_items.py`,
and split card numbers it catches.

    PYTHONPATH=$PWD .venv/bin/python bench/split_items.py [--lists 2000]

False positives: random lists of each shape an honest output holds (digits, small numbers,
four-digit numbers, floats, words, letters), each under a key that names nothing
(`{"values": [...]}`) and under one that names what they are (`{"pins": [...]}`), through
the pattern detectors (no NER): the share flagged. Every finding there is a false positive.
Recall: Luhn-valid numbers of the main schemes (Visa, Mastercard, Amex, Discover, JCB,
UnionPay), split as an agent would (groups of four as strings or as JSON numbers, one digit per
string item) under `{"parts": [...]}`: the share read as CREDIT_CARD.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from typing import Any

from detectors.engine import DetectorEngine
from detectors.patterns.checks import luhn_valid

_WORDS = ["ok", "red", "blue", "id", "eu-west", "x", "on", "off", "tag", "prod", "v2"]
# (issuer prefix, length) of the main schemes
_SCHEMES = [("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15),
            ("6011", 16), ("65", 16), ("3530", 16), ("62", 16)]


def shapes(rng: random.Random) -> dict[str, tuple[str, Callable[[], list[Any]]]]:
    """Each honest shape with the key an honest output names it by."""
    return {
        "16 single-digit numbers": ("digits", lambda: [rng.randrange(10) for _ in range(16)]),
        "16 single-digit strings": ("digits",
                                    lambda: [str(rng.randrange(10)) for _ in range(16)]),
        "4 four-digit numbers": ("readings",
                                 lambda: [rng.randrange(1000, 10000) for _ in range(4)]),
        "4 four-digit strings": ("pins", lambda: [f"{rng.randrange(10000):04}" for _ in range(4)]),
        "5 numbers 0-999": ("counts", lambda: [rng.randrange(1000) for _ in range(5)]),
        "6 floats": ("latencies_ms", lambda: [round(rng.random() * 100, 2) for _ in range(6)]),
        "2-12 short words": ("tags",
                             lambda: [rng.choice(_WORDS) for _ in range(rng.randrange(2, 12))]),
        "8-30 letters": ("letters",
                         lambda: [chr(97 + rng.randrange(26)) for _ in range(rng.randrange(8, 30))]),
    }


def card(rng: random.Random) -> str:
    prefix, length = rng.choice(_SCHEMES)
    while True:
        number = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix)))
        if luhn_valid(number):
            return number


def splits(rng: random.Random) -> dict[str, Callable[[str], list[Any]]]:
    def numbers(number: str) -> list[Any]:
        groups = [number[i:i + 4] for i in range(0, len(number), 4)]
        return [int(g) for g in groups] if not any(g.startswith("0") for g in groups) else groups
    return {
        "groups of four, strings": lambda number: [number[i:i + 4]
                                                   for i in range(0, len(number), 4)],
        "groups of four, numbers": numbers,
        "one digit per string": list,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lists", type=int, default=2000, help="lists per shape")
    args = parser.parse_args()
    engine = DetectorEngine(ner_model=None)
    rng = random.Random(7)
    print("false positives (honest lists flagged)")
    for name, (named, make) in shapes(rng).items():
        for key in ("values", named):
            flagged = sum(1 for _ in range(args.lists) if engine.scan({key: make()}))
            print(f"  {name:26} {key:>13}: {flagged:5}/{args.lists} "
                  f"({flagged / args.lists:.1%})")
    print("recall (split cards read as CREDIT_CARD)")
    for name, split in splits(rng).items():
        caught = sum(1 for _ in range(args.lists)
                     if any(f.entity == "CREDIT_CARD"
                            for f in engine.scan({"parts": split(card(rng))})))
        print(f"  {name:26} {'parts':>13}: {caught:5}/{args.lists} ({caught / args.lists:.1%})")


if __name__ == "__main__":
    main()
