"""Shared fixtures: a real Kafka broker for the session, unique topics and workers per test."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from pathlib import Path

import pytest

import streams.worker.process
from streams import broker
from streams.broker.local import ABORT_INTERVAL_MS
from streams.config import Topics, topic_env
from streams.kafka_admin import ensure_topics
from streams.kafka_connection import KafkaConnection, plaintext
from streams.transactional import BROKER_ABORT_INTERVAL_ENV
from streams.worker.process import WorkerProcess
from tests import cli_fork_server


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fresh_processes: start `afterguard` children as new "
                            "Python processes, not forked from the session's fork server")


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: `./run tests` runs two workers
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With `--dist loadgroup`: every integration test goes to one worker, in order, beside the
    one session broker, fork server and PostgreSQL they share as without xdist; the unit tests
    (CPU-bound, in the test process) go one by one to whichever worker is free, so they take
    the core the integration tests leave idle while they wait on their services. (xdist's own
    `xdist_group` marks are lost under pytest 9.2, whose node ids xdist can no longer change.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class IntegrationTestsTogether(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return "integration" if nodeid.startswith("tests/integration/") else nodeid

    return IntegrationTestsTogether(config, log)


@pytest.fixture(scope="session", autouse=True)
def local_brokers_abort_every_second() -> Iterator[None]:
    """The local brokers look for timed-out transactions every second (streams.broker.local):
    every process of the session is told so, and gives up a transaction that does not end
    after its timeout plus 2 s instead of 20 s. An external broker's interval is not known:
    the processes keep Kafka's default."""
    with pytest.MonkeyPatch.context() as patch:
        if not os.environ.get("AFTERGUARD_TEST_BOOTSTRAP"):
            patch.setenv(BROKER_ABORT_INTERVAL_ENV, str(ABORT_INTERVAL_MS))
        yield


@pytest.fixture(scope="session", autouse=True)
def fork_server_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The fork server (tests/cli_fork_server.py) starts on first use; stopped at the end."""
    cli_fork_server.log_path = str(tmp_path_factory.getbasetemp() / "cli-fork-server.log")
    yield
    cli_fork_server.stop_server()


@pytest.fixture(autouse=True)
def forked_cli_children(request: pytest.FixtureRequest,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`WorkerProcess` (workers, review services, scorers) forks `python -m streams.cli` from
    the fork server instead of importing everything again: ~2.5 s of CPU less per process.
    `@pytest.mark.fresh_processes` keeps new processes (where start-up time is measured)."""
    if request.node.get_closest_marker("fresh_processes") is None:
        monkeypatch.setattr(streams.worker.process, "subprocess",
                            cli_fork_server.forking_subprocess)


_running: list[WorkerProcess] = []
# A session's broker is killed after this long: its state is thrown away, and a clean stop
# grows with its partitions (2.9 s with 90, 4.8 s with 1,200 on this machine; a full suite
# makes thousands, and its session teardown took 23 s).
DISPOSABLE_BROKER_STOP_S = 2.0  # the current test's processes, to stop together


def stopped_with_the_test(process: WorkerProcess) -> WorkerProcess:
    """Have `process` signalled to stop as soon as its test ends (the fixture that started it
    still waits for it and cleans up)."""
    _running.append(process)
    return process


FAILED_LOG_TAIL = 12_000  # characters of each process's log shown with a failed test


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Iterator[None]:
    """A failed test's report ends with the log of each process it started (the worker's own
    account of what it did: CI keeps only the report, and its temporary files are gone)."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if report.when != "call" or not report.failed:
        return
    for process in _running:
        try:
            text = process.log_text()
        except OSError as exc:
            text = f"(no log: {exc})"
        report.sections.append((f"afterguard log {process.log_path.name}",
                                text[-FAILED_LOG_TAIL:]))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """SIGTERM to every process of the test at once, before the fixtures stop them one by one:
    their shutdowns (a few seconds each for faust's) overlap instead of adding up."""
    for process in _running:
        if process.proc.poll() is None:
            process.proc.send_signal(signal.SIGTERM)
    _running.clear()


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A single-node KRaft broker started for this test session (or an external one)."""
    external = os.environ.get("AFTERGUARD_TEST_BOOTSTRAP")
    if external:
        yield external
        return
    state_dir = tmp_path_factory.mktemp("kafka")
    info = broker.start(state_dir)
    try:
        yield info.bootstrap_servers
    finally:  # its state is thrown away: no need to wait for a clean shutdown
        broker.stop(state_dir, timeout=DISPOSABLE_BROKER_STOP_S)


@pytest.fixture(scope="session")
def kafka(kafka_bootstrap: str) -> KafkaConnection:
    """The session broker's connection (plain: the secure broker has its own fixture)."""
    return plaintext(kafka_bootstrap)


@pytest.fixture
def topics(kafka: KafkaConnection) -> Topics:
    """Fresh topics for one test: 3 input partitions, outputs created up front."""
    prefix = f"t{uuid.uuid4().hex[:8]}"
    names = Topics(inputs=(f"{prefix}.agent.actions",), released=f"{prefix}.released",
                   quarantine=f"{prefix}.quarantine", review=f"{prefix}.review",
                   audit=f"{prefix}.audit", deadletter=f"{prefix}.deadletter",
                   verdicts=f"{prefix}.review.verdicts", review_audit=f"{prefix}.audit.review",
                   autonomy=f"{prefix}.autonomy", autonomy_audit=f"{prefix}.audit.autonomy")
    asyncio.run(ensure_topics(kafka, [*names.inputs, names.released, names.quarantine,
                                      names.review, names.audit, names.deadletter,
                                      names.verdicts], partitions=3))
    asyncio.run(ensure_topics(kafka, [names.review_audit], partitions=1))
    asyncio.run(ensure_topics(kafka, [names.autonomy], partitions=3, compacted=True))
    asyncio.run(ensure_topics(kafka, [names.autonomy_audit], partitions=3))
    return names


@pytest.fixture
def hash_key_file(tmp_path: Path) -> Path:
    path = tmp_path / "hash.key"
    path.write_text(secrets.token_hex(32))
    return path


WorkerFactory = Callable[..., WorkerProcess]
SAMPLING_KEY = secrets.token_hex(32)  # the shipped policies read it from this variable


@pytest.fixture
def start_worker(kafka_bootstrap: str, tmp_path: Path,
                 hash_key_file: Path) -> Iterator[WorkerFactory]:
    """Start `afterguard worker` processes wired to the given topics; stopped after the test."""
    started: list[WorkerProcess] = []

    def start(topics: Topics, **env: str) -> WorkerProcess:
        index = len(started)
        worker = WorkerProcess({
            "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
            "AFTERGUARD_APP_ID": f"afterguard-test-{uuid.uuid4().hex[:8]}",
            "AFTERGUARD_DATA_DIR": str(tmp_path / f"worker{index}"),
            "AFTERGUARD_HASH_KEY_FILE": str(hash_key_file),
            "AFTERGUARD_SAMPLING_KEY": SAMPLING_KEY,
            "AFTERGUARD_WORKER_ID": f"test-worker-{index}",
            **topic_env(topics),
            **env,
        }, tmp_path / f"worker{index}.log")
        started.append(stopped_with_the_test(worker))
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for this session (Debian's package, run as `postgres`).
    Fails, never skips, when it cannot be started: the sink's PostgreSQL path must be tested."""
    from tests.postgres import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer()
        url = server.start()
    except PostgresUnavailable as exc:
        pytest.fail(f"cannot start PostgreSQL for the audit sink tests: {exc}", pytrace=False)
    try:
        yield url
    finally:
        server.stop()
