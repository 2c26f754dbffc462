"""The test hook that kills a process at a step of a transaction: `step#N` kills the N-th time
the step is reached (the integration tests kill a worker between two of its commits)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

SCRIPT = ("from streams.transactional import crash_point\n"
          "for n in range(1, 4):\n"
          "    print(n, flush=True)\n"
          "    crash_point('worker_after_commit')\n")


def run(crash_at: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env={**os.environ, "AFTERGUARD_CRASH_AT": crash_at}, check=False,
                          timeout=60)


def test_the_nth_time_a_step_is_reached_kills_the_process() -> None:
    ran = run("worker_after_commit#2")
    assert ran.returncode == -9 and ran.stdout.split() == ["1", "2"]


def test_a_step_without_a_count_kills_the_first_time_and_other_steps_never() -> None:
    assert run("worker_after_commit").stdout.split() == ["1"]
    other = run("worker_before_commit")
    assert other.returncode == 0 and other.stdout.split() == ["1", "2", "3"]


def test_a_pause_point_stops_the_process_once_and_it_goes_on_when_continued() -> None:
    """AFTERGUARD_PAUSE_AT holds a transaction open: the process stops itself (SIGSTOP) the
    N-th time the step is reached and, continued, goes on as if nothing happened."""
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "AFTERGUARD_PAUSE_AT": "worker_after_commit#2"})
    assert proc.stdout is not None
    assert [proc.stdout.readline().strip() for _ in range(2)] == ["1", "2"]
    deadline = time.monotonic() + 60
    while stopped_state(proc.pid) != "T":  # the state of a stopped process in /proc
        assert time.monotonic() < deadline, "the process did not stop at its pause point"
        time.sleep(0.05)
    proc.send_signal(signal.SIGCONT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and out.split() == ["3"]


def stopped_state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0]
