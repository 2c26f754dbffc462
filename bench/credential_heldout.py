"""Credential recall on a held-out corpus: examples from other projects' rule tests.

    .venv/bin/python bench/credential_heldout.py [--misses N] [--rule SUBSTRING]

`bench/data/credential_heldout.jsonl` holds the true- and false-positive examples that gitleaks
(MIT License) keeps with its rules and detect-secrets (Apache-2.0) keeps in its plugin tests,
extracted by `credential_heldout_build.py` (provenance in its docstring and in
`bench/data/README.md`). The detectors were not written from this file: the first figures in
docs/benchmarks.md were measured before any change made after reading its misses.

Each example is scanned on its own, as a tool returns a file: once as a list of lines
(`{"path": ..., "lines": [...]}`) and once as one string (`{"path": ..., "content": ...}`).
A true-positive example is found when any CREDENTIAL finding falls in it; a false-positive
example (a near miss the rule's authors wrote) is flagged when one does.

The rules are split in two halves by a hash of their name: `--misses` lists the misses of the
`tune` half only, so that the `test` half stays unseen when detectors are changed after reading
misses; the figures are printed for both halves.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

from detectors import DetectorEngine

DATA = Path(__file__).resolve().parent / "data/credential_heldout.jsonl"


def half(rule: str) -> str:
    """`tune` or `test`, fixed by the rule's name."""
    return "tune" if hashlib.sha256(rule.encode()).digest()[0] % 2 == 0 else "test"


def _found(engine: DetectorEngine, text: str) -> tuple[bool, bool]:
    as_lines = engine.scan({"path": "f", "lines": text.split("\n")})
    as_string = engine.scan({"path": "f", "content": text})
    return bool(as_lines), bool(as_string)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", type=int, default=0, help="print this many misses/flags")
    parser.add_argument("--rule", default="", help="only rules whose name contains this")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.read_text().splitlines()]
    rows = [r for r in rows if args.rule in r["rule"]]
    engine = DetectorEngine(entities={"CREDENTIAL"})
    counts: Counter[tuple[str, str, str]] = Counter()
    missed_rules: Counter[str] = Counter()
    shown: list[str] = []
    for row in rows:
        source = row["source"].split("@")[0]
        lines, string = _found(engine, row["text"])
        for group in (source, half(row["rule"]), "ALL"):
            counts[(group, row["kind"], "n")] += 1
            counts[(group, row["kind"], "lines")] += lines
            counts[(group, row["kind"], "string")] += string
        wrong = (not lines) if row["kind"] == "tp" else lines
        if wrong and half(row["rule"]) == "tune":
            if row["kind"] == "tp":
                missed_rules[row["rule"]] += 1
            shown.append(f"  {'missed' if row['kind'] == 'tp' else 'flagged':<8}"
                         f"{row['rule']:<34}{row['text'][:120]!r}")
    print(f"{DATA.name}: {len(rows)} examples, sources {sorted({r['source'] for r in rows})}\n")
    print(f"{'source':<16}{'true pos.':>10}{'lines R':>9}{'string R':>10}"
          f"{'near misses':>13}{'flagged L':>11}{'flagged S':>11}")
    for group in ("gitleaks", "detect-secrets", "tune", "test", "ALL"):
        tp, fp = counts[(group, "tp", "n")] or 1, counts[(group, "fp", "n")] or 1
        print(f"{group:<16}{counts[(group, 'tp', 'n')]:>10}"
              f"{counts[(group, 'tp', 'lines')] / tp:>9.3f}"
              f"{counts[(group, 'tp', 'string')] / tp:>10.3f}{counts[(group, 'fp', 'n')]:>13}"
              f"{counts[(group, 'fp', 'lines')] / fp:>11.3f}"
              f"{counts[(group, 'fp', 'string')] / fp:>11.3f}")
    rules = {r["rule"] for r in rows if r["kind"] == "tp"}
    print(f"\nrules with a true-positive example: {len(rules)}, "
          f"with every example found (lines): {len(rules - set(missed_rules))}")
    if args.misses:
        print("most missed rules (tune half):", ", ".join(f"{r} {n}" for r, n in missed_rules.most_common(40)))
        print("\n".join(shown[:args.misses]))


if __name__ == "__main__":
    main()
