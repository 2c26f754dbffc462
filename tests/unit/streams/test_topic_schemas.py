"""The JSON Schema files shipped in the package are exactly what the models generate."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from streams.cli import main
from streams.topic_schemas import SCHEMAS, generate, shipped


def test_shipped_schema_files_equal_what_the_models_generate() -> None:
    assert shipped() == generate(), (
        "a record model changed: regenerate with `afterguard schemas --out streams/schemas`")


def test_every_topic_has_a_schema() -> None:
    assert set(SCHEMAS) == {"action_result", "safety_decision", "review_item", "audit_record",
                            "dead_letter", "autonomy_record", "verdict"}
    audit = json.loads(generate()["audit_record.schema.json"])
    assert {"chain", "payload", "policy_snapshot", "job_hash", "decision_ts", "decider"} <= set(
        audit["required"])


def test_schemas_command_writes_the_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schemas", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == set(generate())
