"""Nothing lost, nothing twice: the worker killed with -9 twice and the broker restarted while
it decides results mixed with poison records; a read_committed consumer then sees exactly one
decision and one audit record per valid input and one dead letter per malformed one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chaos_run import run_chaos
from tests.conftest import SAMPLING_KEY

pytestmark = pytest.mark.integration


def test_kill_9_and_a_broker_restart_lose_nothing_and_duplicate_nothing(
        tmp_path: Path, hash_key_file: Path) -> None:
    report = run_chaos(tmp_path, valid=2000, poisoned=40, env={
        "AFTERGUARD_HASH_KEY_FILE": str(hash_key_file),
        "AFTERGUARD_SAMPLING_KEY": SAMPLING_KEY}, say=print)
    print("\n".join(report.lines()))
    assert report.missing_decisions == 0 and report.duplicate_decisions == 0
    assert report.missing_audits == 0 and report.duplicate_audits == 0
    assert report.missing_letters == 0 and report.duplicate_letters == 0
    assert report.stray == 0
    assert report.verify_exit == 0, report.verify_output
    assert len(report.recoveries_s) == 2
    assert all(seconds < 15 for seconds in report.recoveries_s), report.recoveries_s
    # A broker outage is a few lines in the worker's log, not thousands.
    assert report.outage_log_lines < 100
