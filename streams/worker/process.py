"""Run an Afterguard worker as a child process (demo, benchmarks and integration tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


class WorkerProcess:
    """`afterguard worker` (or another long-running command) in a child process, its log in a
    file."""

    def __init__(self, env: Mapping[str, str], log_path: Path,
                 command: Sequence[str] = ("worker",)) -> None:
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", *command],
            env={**os.environ, **env}, stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Wait for `Ready` in the log (the worker's, or faust's for the review service and the
        autonomy scorer); raise with the log's tail if the process dies or stalls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            exited = self.proc.poll() is not None
            # The log first: a worker told to crash at a point may get there, and die, between
            # two looks; it was ready all the same.
            if "Ready" in self.log_text():
                return
            if exited:
                raise RuntimeError(f"worker exited with {self.proc.returncode}:\n"
                                   f"{self.log_text()[-3000:]}")
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout:.0f}s:\n{self.log_text()[-3000:]}")

    def kill(self) -> int:
        """`kill -9`: no chance to finish a batch, commit, or leave the group."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._log.close()
        return self.proc.returncode

    def stop(self, timeout: float = 30.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode
