"""The local broker commands and the demo, as a user runs them."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.cli_fork_server import run_cli

pytestmark = pytest.mark.integration


def afterguard(*args: str, env: dict[str, str] | None = None,
               timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return run_cli(args, env={**os.environ, **(env or {})}, timeout=timeout)


def test_kafka_start_status_stop(tmp_path: Path) -> None:
    state = str(tmp_path / "broker")
    started = afterguard("kafka", "start", "--state-dir", state)
    assert started.returncode == 0, started.stderr
    address = started.stdout.split("running at ")[1].split()[0]
    again = afterguard("kafka", "start", "--state-dir", state)
    assert f"running at {address}" in again.stdout, "a second start reuses the running broker"
    status = afterguard("kafka", "status", "--state-dir", state)
    assert status.returncode == 0 and address in status.stdout
    assert afterguard("kafka", "stop", "--state-dir", state).stdout.strip() == "stopped"
    stopped = afterguard("kafka", "status", "--state-dir", state)
    assert stopped.returncode == 1 and "not running" in stopped.stdout


def test_demo_shows_every_decision_and_prints_no_sensitive_value(
        kafka_bootstrap: str, tmp_path: Path) -> None:
    run = afterguard("demo", "--count", "80", env={"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
                                                   "AFTERGUARD_HOME": str(tmp_path)})
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    out = run.stdout
    assert "total          80 of 80 published" in out
    assert "audit records: 78 for 78 valid results" in out
    assert "seen unredacted in released outputs: 0" in out
    assert re.search(r"Audit chain verified and [1-9]\d* checkpoint\(s\) signed", out), out[-800:]
    for decision in ("ALLOW", "REDACT", "QUARANTINE", "DEADLETTER"):
        assert decision in out
    assert "[REDACTED:US_SSN]" in out
    # The demo's planted values follow fixed shapes; none may reach the terminal.

    assert not re.search(r"\b\d{3}-\d{2}-\d{4}\b", out), "an SSN was printed"
    assert not re.search(r"AKIA[A-Z2-7]{16}|ghp_[A-Za-z0-9]{36}", out), "a credential was printed"
    assert "@example.com" not in out
