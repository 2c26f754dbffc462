"""Personal-data pattern findings where there is no personal data to find (or little).

    PYTHONPATH=$PWD .venv/bin/python bench/pii_clean_corpus.py [--detectors a,b] [--show N]

1. The 4,000 demo agent outputs (`streams.demo_data`): their planted values are SSNs, emails,
   phone numbers and cards; a finding of an address, postcode, date or IP detector there is a
   false positive.
2. The clean corpus of `credential_recall.py` (the Python standard library without its tests,
   /var/log), line by line: flagged lines, target <= 1%; also without `date-time`, since a log
   line's timestamp is a date the detector is right to find.
3. Prose of this machine, paragraph by paragraph (README, text and reStructuredText files under
   /usr/share/doc and the venv's packages): licences, changelogs, manuals. Street addresses
   there are real ones (the Free Software Foundation's), so the findings are listed to read,
   not counted as errors.

The detectors are the pattern detectors of the address, postcode, date, card, phone, IBAN and
IP entities (no NER), or the ones `--detectors` names.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from credential_recall import _MAX_FILE_BYTES, clean_files

from detectors import DetectorEngine
from detectors.registry import PII_DETECTORS
from streams.demo_data import generate

ENTITIES = {"LOCATION", "DATE_TIME", "CREDIT_CARD", "PHONE_NUMBER", "IBAN_CODE", "IP_ADDRESS"}
# LOCATION detectors of places and peoples (detect-names' own) are left out.
NOT_ADDRESSES = {"city", "city-lower-case", "country", "nationality", "place-cue"}
_MAX_PROSE_FILE = 400_000


def _engine(only: set[str]) -> DetectorEngine:
    chosen = [d for d in PII_DETECTORS if (d.id in only if only else
                                           d.entity in ENTITIES and d.id not in NOT_ADDRESSES)]
    return DetectorEngine(ner_model=None, detectors=chosen)


def _prose_paragraphs() -> list[str]:
    roots = (Path("/usr/share/doc"), Path(sys.prefix) / "lib")
    paragraphs: list[str] = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if (not path.is_file() or path.suffix not in (".md", ".rst", ".txt", "")
                    or path.stat().st_size > _MAX_PROSE_FILE):
                continue
            try:
                text = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            paragraphs += [p for p in text.split("\n\n") if p.strip()]
    return paragraphs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detectors", default="", help="comma-separated detector ids")
    parser.add_argument("--show", type=int, default=0, help="list N findings of each part")
    args = parser.parse_args()
    engine = _engine({d for d in args.detectors.split(",") if d})

    outputs = [json.loads(r.value)["output"] for r in generate(4000, "clean") if not r.malformed]
    demo = [f for fs in engine.scan_batch(outputs) for f in fs]
    print(f"demo agent outputs: {len(outputs)}, findings: {len(demo)} "
          f"{dict(Counter(f.detector for f in demo)) or ''}")

    lines = flagged = flagged_not_dates = 0
    by_detector: Counter[str] = Counter()
    shown: list[str] = []
    for path in clean_files():
        try:
            file_lines = path.read_bytes()[:_MAX_FILE_BYTES].decode("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        lines += len(file_lines)
        for line, found in zip(file_lines, engine.scan_batch(file_lines), strict=True):
            flagged += bool(found)
            flagged_not_dates += any(f.detector != "date-time" for f in found)
            by_detector.update(f.detector for f in found)
            shown += [f"  {f.detector}: {line[f.start:f.end]!r}" for f in found]
    print(f"clean corpus: {lines} lines, flagged {flagged} ({flagged / max(lines, 1):.4f}); "
          f"without date-time (log lines' timestamps are dates) {flagged_not_dates} "
          f"({flagged_not_dates / max(lines, 1):.4f})\n  {dict(by_detector.most_common())}")
    print("\n".join(shown[:args.show]))

    paragraphs = _prose_paragraphs()
    prose = Counter[str]()
    shown = []
    for paragraph, found in zip(paragraphs, engine.scan_batch(paragraphs), strict=True):
        prose.update(f.detector for f in found)
        shown += [f"  {f.detector}: {paragraph[f.start:f.end]!r}" for f in found]
    print(f"prose: {len(paragraphs)} paragraphs, findings {dict(prose.most_common())}")
    print("\n".join(shown[:args.show]))


if __name__ == "__main__":
    main()
