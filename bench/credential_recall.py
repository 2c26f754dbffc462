"""Credential line recall in both layouts a tool returns a file in, and false positives.

    .venv/bin/python bench/credential_recall.py [--files 20] [--misses N]

1. The generated corpus (`credential_corpus.py`): every file is scanned as a tool returns it,
   once as a list of lines (`{"path": ..., "lines": [...]}`) and once as one string
   (`{"path": ..., "content": "..."}`). A credential line is found when a CREDENTIAL finding
   overlaps it; a clean line of the same files is flagged when one does.
2. The PII data set (../shared/eval/pii/synth_dataset_v2.json): credential findings, which
   should be none.
3. A clean corpus of code and logs from this machine, no network: the Python standard library's
   top-level modules and packages (not its tests, which hold test keys on purpose) and the
   text logs under /var/log. Flagged lines, target <= 1%.
"""

from __future__ import annotations

import argparse
import json
import sysconfig
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from credential_corpus import CorpusFile, corpus

from detectors import DetectorEngine, Finding

REPO = Path(__file__).resolve().parent.parent
PII_DATA = next((base / "shared/eval/pii/synth_dataset_v2.json" for base in REPO.parents
                 if (base / "shared/eval/pii/synth_dataset_v2.json").exists()),
                REPO.parent / "shared/eval/pii/synth_dataset_v2.json")
_MAX_FILE_BYTES = 400_000


def _flagged_as_lines(engine: DetectorEngine, lines: tuple[str, ...]) -> set[int]:
    findings = engine.scan({"path": "f", "lines": list(lines)})
    return {int(f.path.rsplit("[", 1)[1].rstrip("]")) for f in findings
            if f.path.startswith("lines[")}


def _flagged_as_string(engine: DetectorEngine, lines: tuple[str, ...]) -> set[int]:
    starts, position = [], 0
    for line in lines:
        starts.append(position)
        position += len(line) + 1
    findings: list[Finding] = engine.scan({"path": "f", "content": "\n".join(lines)})
    flagged = set()
    for f in findings:
        if f.path != "content":
            continue
        for index, start in enumerate(starts):
            end = start + len(lines[index])
            if f.start < max(end, start + 1) and start < f.end:
                flagged.add(index)
    return flagged


def corpus_recall(engine: DetectorEngine, files: list[CorpusFile], misses: int) -> None:
    print(f"\ngenerated corpus: {len(files)} files, "
          f"{sum(len(f.secret_lines) for f in files)} credential lines, "
          f"{sum(len(f.lines) - len(f.secret_lines) for f in files)} clean lines")
    header = (f"{'syntax':<22}{'cred':>6}{'lines R':>9}{'string R':>10}"
              f"{'clean':>7}{'FP lines':>10}{'FP string':>10}")
    print(header)
    totals: Counter[str] = Counter()
    shown: list[str] = []
    for syntax in dict.fromkeys(f.syntax for f in files):
        row: Counter[str] = Counter()
        for file in (f for f in files if f.syntax == syntax):
            as_lines = _flagged_as_lines(engine, file.lines)
            as_string = _flagged_as_string(engine, file.lines)
            clean = set(range(len(file.lines))) - file.secret_lines
            row["cred"] += len(file.secret_lines)
            row["clean"] += len(clean)
            row["lines"] += len(file.secret_lines & as_lines)
            row["string"] += len(file.secret_lines & as_string)
            row["fp_lines"] += len(clean & as_lines)
            row["fp_string"] += len(clean & as_string)
            for index in sorted((file.secret_lines - as_lines) | (clean & as_lines)):
                kind = "missed" if index in file.secret_lines else "flagged"
                shown.append(f"  {kind:<8}{syntax:<20}{file.lines[index][:110]}")
        totals.update(row)
        _row(syntax, row)
    _row("ALL", totals)
    if misses:
        print("\nfirst misses and flags (list layout):")
        print("\n".join(list(dict.fromkeys(shown))[:misses]))


def _row(name: str, row: Counter[str]) -> None:
    cred, clean = row["cred"] or 1, row["clean"] or 1
    print(f"{name:<22}{row['cred']:>6}{row['lines'] / cred:>9.3f}{row['string'] / cred:>10.3f}"
          f"{row['clean']:>7}{row['fp_lines'] / clean:>10.3f}{row['fp_string'] / clean:>10.3f}")


def pii_false_positives(engine: DetectorEngine) -> None:
    texts = [str(r["full_text"]) for r in json.loads(PII_DATA.read_text())]
    found = [f for fs in engine.scan_batch(texts) for f in fs]
    print(f"\nPII data set: {len(texts)} texts, credential findings: {len(found)} "
          f"{dict(Counter(f.detector for f in found)) or ''}")


def clean_files() -> Iterator[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for path in sorted(stdlib.rglob("*.py")):
        parts = set(path.relative_to(stdlib).parts)
        if parts & {"test", "tests", "idle_test", "site-packages", "dist-packages"}:
            continue
        yield path
    for path in sorted(Path("/var/log").rglob("*")):
        if path.is_file() and not path.name.endswith((".gz", ".xz")) and path.suffix in (
                ".log", "") and path.name not in ("lastlog", "wtmp", "btmp", "faillog"):
            yield path


def clean_corpus(engine: DetectorEngine, misses: int) -> None:
    files = lines = flagged_lines = flagged_string = 0
    by_detector: Counter[str] = Counter()
    shown: list[str] = []
    for path in clean_files():
        try:
            data = path.read_bytes()[:_MAX_FILE_BYTES]
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        file_lines = tuple(text.splitlines())
        if not file_lines:
            continue
        files += 1
        lines += len(file_lines)
        as_lines = _flagged_as_lines(engine, file_lines)
        flagged_lines += len(as_lines)
        flagged_string += len(_flagged_as_string(engine, file_lines))
        for f in engine.scan({"lines": list(file_lines)}):
            by_detector[f.detector] += 1
        shown += [f"  {path.name}: {file_lines[i][:110]}" for i in sorted(as_lines)]
    print(f"\nclean corpus (Python {sysconfig.get_python_version()} standard library without "
          f"tests, /var/log): {files} files, {lines} lines")
    print(f"flagged lines: list layout {flagged_lines} ({flagged_lines / lines:.4f}), "
          f"string layout {flagged_string} ({flagged_string / lines:.4f})")
    print(f"findings by detector (list layout): {dict(by_detector.most_common())}")
    if misses:
        print("\n".join(shown[:misses]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20, help="files per syntax")
    parser.add_argument("--misses", type=int, default=0, help="print this many misses/flags")
    parser.add_argument("--skip-clean", action="store_true")
    args = parser.parse_args()
    engine = DetectorEngine(entities={"CREDENTIAL"})
    corpus_recall(engine, corpus(args.files), args.misses)
    pii_false_positives(engine)
    if not args.skip_clean:
        clean_corpus(engine, args.misses)


if __name__ == "__main__":
    main()
