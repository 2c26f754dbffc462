"""A single-node Apache Kafka broker (KRaft) started from Maven Central jars, without Docker.

The jars are resolved once with Maven into a cache directory; every broker has a state directory
holding its configuration, data, log, pid and port, so `start`, `status` and `stop` can be run
from separate processes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from streams.broker.secure import (
    ADMIN,
    SecureFiles,
    prepare,
    scram_arguments,
    server_properties,
    write_client_files,
)
from streams.kafka_connection import KafkaConnection, plaintext

KAFKA_VERSION = "3.9.1"
# How often a local broker looks for transactions older than their timeout to abort them
# (Kafka's default is 10 s): a client told so (AFTERGUARD_BROKER_ABORT_INTERVAL_MS, as the
# test suite does) gives up a transaction that does not end 18 s sooner.
ABORT_INTERVAL_MS = 1000


class BrokerError(RuntimeError):
    """The local broker could not be set up, started or reached."""


def afterguard_home() -> Path:
    return Path(os.environ.get("AFTERGUARD_HOME", Path.home() / ".cache" / "afterguard"))


def default_state_dir() -> Path:
    return afterguard_home() / "broker"


def jar_dir() -> Path:
    return afterguard_home() / f"kafka-{KAFKA_VERSION}" / "libs"


def ensure_jars() -> Path:
    """Resolve the broker's jars with Maven into the cache; a no-op once they are there."""
    libs = jar_dir()
    marker = libs / ".complete"
    if marker.exists():
        return libs
    mvn = shutil.which("mvn")
    if mvn is None:
        raise BrokerError("Maven (mvn) is needed to obtain the Kafka jars and is not on PATH")
    if shutil.which("java") is None:
        raise BrokerError("Java 17 is needed to run the Kafka broker and is not on PATH")
    libs.mkdir(parents=True, exist_ok=True)
    pom = resources.files("streams.broker").joinpath("pom.xml")
    with resources.as_file(pom) as pom_path:
        proc = subprocess.run(
            [mvn, "-q", "-B", "-f", str(pom_path), "dependency:copy-dependencies",
             f"-DoutputDirectory={libs}", "-DincludeScope=runtime"],
            capture_output=True, text=True, check=False,
        )
    if proc.returncode != 0:
        raise BrokerError(f"mvn could not resolve the Kafka {KAFKA_VERSION} jars:\n"
                          f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    marker.write_text(KAFKA_VERSION)
    return libs


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class BrokerInfo:
    state_dir: Path
    pid: int
    port: int
    secure: bool = False

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def secure_files(self) -> SecureFiles:
        if not self.secure:
            raise BrokerError(f"the broker of {self.state_dir} runs without security")
        return SecureFiles(self.state_dir / "secure")

    def connection(self, principal: str = ADMIN) -> KafkaConnection:
        """How a client of this principal connects (any principal on a plain broker)."""
        if not self.secure:
            return plaintext(self.bootstrap_servers)
        return self.secure_files.connection(principal, self.bootstrap_servers)


def _plain_listeners(port: int, controller_port: int) -> list[str]:
    return [
        f"listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        f"advertised.listeners=PLAINTEXT://127.0.0.1:{port}",
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    ]


def _server_properties(data_dir: Path, controller_port: int, listeners: list[str],
                       auto_create_topics: bool = False) -> str:
    return "\n".join([
        "process.roles=broker,controller",
        "node.id=1",
        f"controller.quorum.voters=1@127.0.0.1:{controller_port}",
        *listeners,
        f"log.dirs={data_dir}",
        "num.partitions=1",
        # Every component creates its topics with the partitions and settings it needs
        # (streams/topic_plan.py); a topic made on first mention would get 1 partition.
        f"auto.create.topics.enable={'true' if auto_create_topics else 'false'}",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=4",
        "group.initial.rebalance.delay.ms=0",
        # a floor, not a default: lets a test ask for a short session (workers default to 10 s)
        "group.min.session.timeout.ms=1000",
        f"transaction.abort.timed.out.transaction.cleanup.interval.ms={ABORT_INTERVAL_MS}",
        "log.retention.hours=24",
        "",
    ])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def status(state_dir: Path | None = None) -> BrokerInfo | None:
    """The running broker of this state directory, or None."""
    state_dir = state_dir or default_state_dir()
    info_file = state_dir / "broker.json"
    if not info_file.exists():
        return None
    info = json.loads(info_file.read_text())
    if not _pid_alive(int(info["pid"])):
        return None
    return BrokerInfo(state_dir, int(info["pid"]), int(info["port"]), bool(info.get("secure")))


async def _answers(kafka: KafkaConnection) -> bool:
    # Refused connections are expected while the broker boots; aiokafka would log each one.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    admin = kafka.admin(request_timeout_ms=3000)
    try:
        await admin.start()
        await admin.list_topics()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not yet"; the caller retries
        return False
    finally:
        await admin.close()
        logging.getLogger("aiokafka").setLevel(logging.NOTSET)


def start(state_dir: Path | None = None, port: int | None = None, timeout: float = 90.0,
          secure_mode: bool = False, auto_create_topics: bool = False) -> BrokerInfo:
    """Start a broker for this state directory (or return the one already running).
    `secure_mode`: a SASL_SSL listener with SCRAM users, a CA and an authorizer (see
    streams.broker.secure); a state directory keeps the mode it was first started in.
    `auto_create_topics`: create a topic when a client first names it (Kafka's default; off
    here, so that nothing of Afterguard, nor a test, can depend on it: every component creates
    its topics as streams/topic_plan.py says)."""
    state_dir = state_dir or default_state_dir()
    running = status(state_dir)
    if running is not None:
        if running.secure != secure_mode:
            raise BrokerError(f"the broker of {state_dir} already runs "
                              f"{'with' if running.secure else 'without'} --secure")
        return running
    libs = ensure_jars()
    state_dir.mkdir(parents=True, exist_ok=True)
    data_dir = state_dir / "data"
    formatted = (data_dir / "meta.properties").exists()
    was_secure = (state_dir / "secure").exists()
    if formatted and was_secure != secure_mode:
        raise BrokerError(f"{state_dir} holds a broker formatted "
                          f"{'with' if was_secure else 'without'} --secure; use another "
                          f"--state-dir")
    port = port or free_port()
    controller_port = free_port()
    files = prepare(state_dir) if secure_mode else None
    listeners = (server_properties(files, port, controller_port) if files
                 else _plain_listeners(port, controller_port))
    props = state_dir / "server.properties"
    fd = os.open(props, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # may hold passwords
    with os.fdopen(fd, "w") as handle:
        handle.write(_server_properties(data_dir, controller_port, listeners,
                                        auto_create_topics))
    log4j = state_dir / "log4j.properties"
    log4j.write_bytes(resources.files("streams.broker").joinpath("log4j.properties").read_bytes())
    classpath = f"{libs}/*"
    java = shutil.which("java") or "java"
    if not formatted:
        _format(java, classpath, log4j, state_dir, props, files)
    console = open(state_dir / "console.log", "ab")  # noqa: SIM115 - handed to the child process
    proc = subprocess.Popen(
        [java, "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-cp", classpath,
         f"-Dlog4j.configuration=file:{log4j}", f"-Dkafka.logs.dir={state_dir}",
         "kafka.Kafka", str(props)],
        stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    console.close()
    info = BrokerInfo(state_dir, proc.pid, port, secure_mode)
    (state_dir / "broker.json").write_text(json.dumps({"pid": proc.pid, "port": port,
                                                       "secure": secure_mode}))
    if files is not None:
        write_client_files(files, info.bootstrap_servers)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BrokerError(f"the broker exited with code {proc.returncode}; "
                              f"see {state_dir / 'server.log'} and {state_dir / 'console.log'}")
        if asyncio.run(_answers(info.connection())):
            return info
        time.sleep(0.5)
    stop(state_dir)
    raise BrokerError(f"the broker did not answer within {timeout:.0f}s; "
                      f"see {state_dir / 'server.log'}")


def _format(java: str, classpath: str, log4j: Path, state_dir: Path, props: Path,
            files: SecureFiles | None) -> None:
    """`kafka-storage format`, with the SCRAM users in secure mode. The arguments go through a
    Java argument file (mode 600, removed after) so that no password shows in a process list."""
    # --cluster-id=ID in one argument: a random id may start with "-" (1 start in 64 failed)
    arguments = ["kafka.tools.StorageTool", "format", f"--cluster-id={_random_cluster_id()}",
                 "-c", str(props), *(scram_arguments(files) if files else [])]
    argfile = state_dir / "format.args"
    fd = os.open(argfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(f'"{a}"' for a in arguments) + "\n")
    try:
        fmt = subprocess.run(
            [java, "-cp", classpath, f"-Dlog4j.configuration=file:{log4j}",
             f"-Dkafka.logs.dir={state_dir}", f"@{argfile}"],
            capture_output=True, text=True, check=False,
        )
    finally:
        argfile.unlink(missing_ok=True)
    if fmt.returncode != 0:
        raise BrokerError(f"formatting Kafka storage failed:\n{fmt.stdout}{fmt.stderr}")


def _random_cluster_id() -> str:
    import base64

    raw = uuid.uuid4().bytes
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def stop(state_dir: Path | None = None, timeout: float = 30.0) -> bool:
    """Stop the broker of this state directory; False if none was running."""
    state_dir = state_dir or default_state_dir()
    info = status(state_dir)
    if info is None:
        return False
    try:
        os.killpg(info.pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _pid_alive(info.pid):
        _reap(info.pid)
        time.sleep(0.2)
    if _pid_alive(info.pid):
        os.killpg(info.pid, signal.SIGKILL)
        _reap(info.pid)
    (state_dir / "broker.json").unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    """Collect the exit status when the broker is our own child, so it does not linger."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
