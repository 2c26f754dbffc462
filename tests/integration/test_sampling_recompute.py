"""An auditor recomputes a real worker's sampling draws: by hand, following docs/sampling.md
with nothing but hmac and hashlib, and with `afterguard sampling recompute` over an export."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
from pathlib import Path

import pytest

from streams.config import Topics
from tests.cli_fork_server import run_cli
from tests.conftest import SAMPLING_KEY, WorkerFactory
from tests.kafka_io import collect, produce

pytestmark = pytest.mark.integration


def afterguard(bootstrap: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(args, env={"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "PATH": "/usr/bin:/bin"})


def test_an_auditor_recomputes_every_draw_of_a_real_worker(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        tmp_path: Path) -> None:
    start_worker(topics)
    produce(kafka_bootstrap, topics.inputs[0], [
        (f"job-{n}".encode(), json.dumps({
            "job_id": f"job-{n}", "agent_id": "agent-a", "action": "job.support.lookup",
            "tenant": "acme", "risk_tags": ["prod"], "output": {"n": n}}).encode())
        for n in range(25)])
    audits = collect(kafka_bootstrap, [topics.audit],
                     done=lambda s: len(s[topics.audit]) >= 25, timeout=90)[topics.audit]
    assert len(audits) == 25

    export = tmp_path / "audit.jsonl"
    exported = afterguard(kafka_bootstrap, "audit", "export", "--topic", topics.audit,
                          "--out", str(export))
    assert exported.returncode == 0, exported.stderr
    key_file = tmp_path / "sampling.key"
    key_file.write_text(SAMPLING_KEY + "\n")  # as `openssl rand -hex 32 > sampling.key` writes it
    key_file.chmod(0o600)

    # By hand, as docs/sampling.md says: the key's text as bytes, NUL-separated fields.
    key = key_file.read_text().strip().encode()
    lines = export.read_text().splitlines()
    for line in lines:
        record = json.loads(line)
        message = b"\x00".join(record[f].encode()
                               for f in ("job_id", "job_hash", "policy_snapshot"))
        digest = hmac.new(key, message, hashlib.sha256).digest()
        drawn = int.from_bytes(digest[:8], "big") / 2**64
        assert drawn == record["sampling"]["draw"], record["job_id"]
        assert record["sampling"]["drawn"] == (drawn < record["sampling"]["probability"])

    checked = afterguard(kafka_bootstrap, "sampling", "recompute", "--file", str(export),
                         "--key-file", str(key_file))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "25 draws checked under key id " in checked.stdout
    assert "25 match, 0 mismatches" in checked.stdout

    # the same from the topic; and an export whose job_hash was edited does not pass
    from_topic = afterguard(kafka_bootstrap, "sampling", "recompute", "--topic", topics.audit,
                            "--key-file", str(key_file))
    assert from_topic.returncode == 0, from_topic.stdout + from_topic.stderr
    assert "25 match, 0 mismatches" in from_topic.stdout
    edited = json.loads(lines[7])
    edited["job_hash"] = "sha256:" + "0" * 64
    lines[7] = json.dumps(edited)
    export.write_text("\n".join(lines) + "\n")
    tampered = afterguard(kafka_bootstrap, "sampling", "recompute", "--file", str(export),
                          "--key-file", str(key_file))
    assert tampered.returncode == 1
    assert f"line 8 ({edited['job_id']}): recorded draw" in tampered.stdout
