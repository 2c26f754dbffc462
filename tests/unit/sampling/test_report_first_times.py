"""`afterguard sampling report` shows the first times that were not reviewed as such: past their
verified identity's `first_time_limit` a first time is sampled like any other result, and an
operator reading the report must see how many, for which identity, and when (before, the report
counted them among the drawn results and said nothing)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from policies import shipped_policy_path
from streams.cli import main
from tests.unit.worker.test_first_time_flood import HOSTILE, QUIET, _audits, _pipeline, _raw


def export(tmp_path: Path, flood: int) -> Path:
    """The audit records the worker's pipeline writes for `flood` fresh agent ids on one
    topic (the limit is 100 an hour) and one first time on another."""
    pipeline = _pipeline(tmp_path)
    records = [_raw(HOSTILE, n, f"fresh-{n}") for n in range(flood)] + [_raw(QUIET, 0, "q-1")]
    path = tmp_path / "audit.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in _audits(pipeline, records).values()))
    return path


def report(*args: str) -> str:
    run = CliRunner().invoke(main, ["sampling", "report", *args])
    assert run.exit_code == 0, run.output
    return run.output


def test_first_times_over_the_limit_are_shown_per_identity(tmp_path: Path) -> None:
    output = report("--file", str(export(tmp_path, 130)), "--policy",
                    str(shipped_policy_path("default")))
    assert output.startswith("131 decisions with a sampling record")
    lines = output.splitlines()
    assert ("30 first-time results over their identity's first_time_limit (not reviewed as "
            "first times; sampled like other results):") in lines
    [line] = [line for line in lines if line.startswith(f"  topic:{HOSTILE}: ")]
    assert line.startswith(f"  topic:{HOSTILE}: 30 (")
    assert f"topic:{QUIET}" not in output, "the other topic's first time was reviewed"


def test_the_policys_identities_name_whom_the_limit_was_counted_for(tmp_path: Path) -> None:
    document = yaml.safe_load(shipped_policy_path("default").read_text())
    document.setdefault("trust", {})["identities"] = [
        {"id": "flood-bot", "topics": [HOSTILE], "agents": ["fresh-*"]}]
    policy = tmp_path / "identities.yaml"
    policy.write_text(yaml.safe_dump(document))
    output = report("--file", str(export(tmp_path, 105)), "--policy", str(policy))
    assert "  identity:flood-bot: 5 (" in output


def test_no_line_when_every_first_time_was_reviewed(tmp_path: Path) -> None:
    output = report("--file", str(export(tmp_path, 10)))
    assert "first_time_limit" not in output
