"""The worker's log line of each thread's CPU per result: what the decide thread spent on the
batches it decided, and what the event loop spent from the first records on."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

from streams.worker.thread_cpu import ThreadCpu


def burn(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def per_result(line: str) -> tuple[int, int]:
    found = re.search(r"decide thread (\d+) us, event loop (\d+) us", line)
    assert found, line
    return int(found[1]), int(found[2])


def test_each_threads_cpu_is_counted_per_result_from_the_first_records() -> None:
    cpu = ThreadCpu()
    burn(0.02)  # start-up: not counted
    with ThreadPoolExecutor(1) as decide_thread:
        def decide() -> None:
            started = time.thread_time()
            burn(0.05)
            cpu.decided(started)
        cpu.polled()
        decide_thread.submit(decide).result()
    burn(0.01)
    decide_us, loop_us = per_result(cpu.split(10))
    assert 5_000 <= decide_us < 6_000  # 50 ms over 10 results, this thread's share not in it
    assert 1_000 <= loop_us < 2_000  # 10 ms after the first records, start-up's 20 not in it
    assert cpu.split(10).startswith("CPU per result over 10 results")


def test_no_records_no_loop_figure() -> None:
    assert per_result(ThreadCpu().split(0)) == (0, 0)


def test_the_event_loops_cpu_per_transaction_when_transactions_committed() -> None:
    cpu = ThreadCpu()
    cpu.polled()
    burn(0.02)
    line = cpu.split(10, transactions=4)
    found = re.search(r"\(([\d.]+) ms per transaction, 4 transactions\)", line)
    assert found, line
    assert 5.0 <= float(found[1]) < 6.0  # 20 ms over 4 transactions
    assert "per transaction" not in cpu.split(10)
