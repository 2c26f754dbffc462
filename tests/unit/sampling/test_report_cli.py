"""`afterguard sampling report` over exported audit records and verdicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from streams.cli import main


def audit(job: str, stratum: str, p: float, selected: bool, ts: str) -> dict[str, Any]:
    return {"event_type": "decision", "job_id": job, "decision_ts": ts,
            "sampling": {"stratum": stratum, "probability": p, "inclusion_probability": p,
                         "drawn": selected, "selected": selected, "budget_dropped": False,
                         "mandatory_reasons": [], "budget_window_start": None,
                         "reviewer_group": "ops-review"}}


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_report_counts_strata_and_estimates_the_error_rate(tmp_path: Path) -> None:
    audits = write(tmp_path / "audit.jsonl", [
        audit("a", "prod", 0.5, True, "2026-11-20T10:00:00+00:00"),
        audit("b", "prod", 0.5, False, "2026-11-20T11:00:00+00:00"),
        audit("c", "read", 0.1, True, "2026-11-20T12:00:00+00:00"),
        audit("old", "read", 0.1, True, "2026-11-01T12:00:00+00:00"),
    ])
    verdicts = write(tmp_path / "verdicts.jsonl", [
        {"job_id": "a", "verdict": "approve", "decided_at": "2026-11-20T13:00:00+00:00"},
        {"job_id": "a", "verdict": "reject", "decided_at": "2026-11-20T14:00:00+00:00"},
        {"job_id": "c", "verdict": "approve", "decided_at": "2026-11-20T13:00:00+00:00"},
    ])
    run = CliRunner().invoke(main, ["sampling", "report", "--file", str(audits),
                                    "--verdicts-file", str(verdicts), "--since", "2026-11-10"])
    assert run.exit_code == 0, run.output
    assert run.output.startswith("3 decisions with a sampling record")
    prod = next(line for line in run.output.splitlines() if line.startswith("prod"))
    assert prod.split()[1:3] == ["2", "0"]  # 2 results, 0 mandatory
    # the later verdict on 'a' (reject) counts; weights 2 (a) and 10 (c): 2/12
    assert "weighted error rate 0.1667" in run.output
