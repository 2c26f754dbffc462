"""`WorkerProcess.wait_ready`: a worker that got ready and then died at once (a crash point
reached in its first batch) was ready; one that died before it was ready is an error."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from streams.worker.process import WorkerProcess


def child(tmp_path: Path, script: str) -> WorkerProcess:
    """A WorkerProcess whose child is a shell script instead of `afterguard worker`."""
    worker = WorkerProcess.__new__(WorkerProcess)
    worker.log_path = tmp_path / "child.log"
    worker._log = open(worker.log_path, "wb")  # noqa: SIM115 - closed by kill()
    worker.proc = subprocess.Popen(["sh", "-c", script], stdout=worker._log,
                                   stderr=subprocess.STDOUT)
    worker.proc.wait()  # dead before the first look: the race at its widest
    return worker


def test_a_worker_ready_and_killed_before_the_first_look_was_ready(tmp_path: Path) -> None:
    worker = child(tmp_path, "echo 'INFO Ready: deciding'; kill -9 $$")
    worker.wait_ready(timeout=5)
    assert worker.kill() == -9


def test_a_worker_dead_before_ready_is_an_error_with_its_log(tmp_path: Path) -> None:
    worker = child(tmp_path, "echo 'cannot reach the broker'; exit 3")
    with pytest.raises(RuntimeError, match=r"exited with 3:\n.*cannot reach the broker"):
        worker.wait_ready(timeout=5)
    worker.kill()
