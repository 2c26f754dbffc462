"""Personal data that survives the shipped strict policy, and the other words it keeps.

    .venv/bin/python bench/pii_leak.py [path/to/synth_dataset_v2.json] [--policy strict]
                                       [--show ENTITY]

Every text of the labelled data set is one action result (customer audience) decided by the
policy with its own engine (`engine_for`), as the worker would. A planted value leaks when a
word of it (letters or digits) is released: not inside a finding the policy redacted (a
quarantined result releases nothing); function words (`the`, `of`, `and`: spaCy's English stop
words) are not counted, as in `the corner of X and Y`. Words outside every planted value are counted as kept
when no redaction covers them. Per gold entity type; ORGANIZATION and TITLE spans are not
personal data here and count neither way.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from policies import ActionResult, Decision, HashKey, decide, load_policy, shipped_policy_path
from streams.worker.policy_reload import engine_for

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = next((base / "shared/eval/pii/synth_dataset_v2.json" for base in REPO.parents
                     if (base / "shared/eval/pii/synth_dataset_v2.json").exists()),
                    REPO.parent / "shared/eval/pii/synth_dataset_v2.json")
NOT_PERSONAL = {"ORGANIZATION", "TITLE"}
_WORD = re.compile(r"[^\W_]+")


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--policy", default="strict")
    parser.add_argument("--show", default="", help="print the leaked values of this entity")
    args = parser.parse_args()
    records = json.loads(args.data.read_text())
    loaded = load_policy(shipped_policy_path(args.policy))
    engine = engine_for(loaded)
    key = HashKey.from_secret(b"bench-key-" * 4)
    texts = [str(r["full_text"]) for r in records]
    all_findings = engine.scan_batch(texts)
    planted, leaked = Counter[str](), Counter[str]()
    other_words = other_kept = 0
    shown: list[str] = []
    for record, text, findings in zip(records, texts, all_findings, strict=True):
        result = ActionResult(job_id="j", agent_id="a", action="job.support.reply", output=text,
                              audience="customer")
        outcome = decide(result, findings, loaded.policy, key)
        if outcome.decision is Decision.QUARANTINE:
            redacted = [(0, len(text))]
        else:
            redacted = [(r.finding.start, r.finding.end) for r in outcome.ruled
                        if r.decision is not Decision.ALLOW]
        gold = [(s["start_position"], s["end_position"], s["entity_type"])
                for s in record["spans"]]
        for start, end, entity in gold:
            if entity in NOT_PERSONAL:
                continue
            planted[entity] += 1
            words = [(start + m.start(), start + m.end()) for m in _WORD.finditer(text[start:end])
                     if m.group().lower() not in STOP_WORDS]
            if any(not _covered(a, b, redacted) for a, b in words):
                leaked[entity] += 1
                if entity == args.show:
                    shown.append(f"  {text[start:end]!r:<40} in {text[max(0, start - 50):end + 30]!r}")
        for m in _WORD.finditer(text):
            if any(a < m.end() and m.start() < b for a, b, _ in gold):
                continue
            other_words += 1
            other_kept += not _covered(m.start(), m.end(), redacted)
    print(f"{len(records)} texts through the shipped {args.policy} policy "
          f"({loaded.snapshot}), customer audience\n")
    print(f"{'entity':<20}{'planted':>8}{'leaked':>8}{'leak':>8}")
    for entity in sorted(planted):
        print(f"{entity:<20}{planted[entity]:>8}{leaked[entity]:>8}"
              f"{leaked[entity] / planted[entity]:>8.3f}")
    total, lost = sum(planted.values()), sum(leaked.values())
    print(f"{'ALL':<20}{total:>8}{lost:>8}{lost / total:>8.3f}")
    print(f"\nwords outside personal data: {other_words}, kept {other_kept} "
          f"({other_kept / other_words:.3f})")
    if shown:
        print("\n".join(shown))


if __name__ == "__main__":
    main()
