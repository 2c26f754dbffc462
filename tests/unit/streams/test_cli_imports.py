"""Commands that never scan do not load the detection engine: spaCy and presidio cost about
2.5 s of CPU to import, which `afterguard audit verify`, `kafka status` and the like paid on
every run. Each command runs in a fresh interpreter, which then reports what it imported."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from policies import shipped_policy_path

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("spacy", "presidio_analyzer", "detectors.engine")
SCRIPT = f"""
HEAVY = {HEAVY!r}
import json, sys
from streams.cli import main
try:
    main(sys.argv[1:], prog_name="afterguard")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({{"code": code, "heavy": [m for m in HEAVY if m in sys.modules]}}))
"""


def run(*args: str, **env: str) -> dict[str, object]:
    ran = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                         check=False, timeout=120)
    assert ran.returncode == 0, ran.stderr[-2000:]
    report: dict[str, object] = json.loads(ran.stdout.splitlines()[-1])
    return report


@pytest.mark.parametrize("command", ["audit verify", "kafka status"])
def test_a_command_that_never_scans_imports_no_detection_engine(command: str,
                                                                tmp_path: Path) -> None:
    export = tmp_path / "audit.jsonl"
    export.write_text("")
    args = {"audit verify": ["audit", "verify", "--file", str(export)],
            "kafka status": ["kafka", "status", "--state-dir", str(tmp_path / "broker")]}
    report = run(*args[command])
    assert report["heavy"] == [], report


def test_a_command_that_scans_still_loads_it(tmp_path: Path) -> None:
    """The check above can fail: `policy explain` scans, and spaCy is there."""
    result = tmp_path / "result.json"
    result.write_text(json.dumps({"job_id": "j-1", "agent_id": "a-1", "action": "job.ops.run",
                                  "output": {"note": "nothing to see"}}))
    key = tmp_path / "hash.key"
    key.write_text(secrets.token_hex(32))
    key.chmod(0o600)
    report = run("policy", "explain", str(shipped_policy_path("default")), "--result",
                 str(result), AFTERGUARD_HASH_KEY_FILE=str(key),
                 AFTERGUARD_SAMPLING_KEY=secrets.token_hex(32))
    assert report["code"] == 0 and report["heavy"] == list(HEAVY), report
