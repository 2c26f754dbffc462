"""The Kafka side of the command line: the connection every command uses, checked before it
starts, and `afterguard kafka` (the local broker)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import click

from streams import broker
from streams.config import ConfigError, load_kafka_connection
from streams.kafka_check import KafkaSecurityError, check_connection
from streams.kafka_connection import KafkaConnection


def require_connection(kafka: KafkaConnection) -> KafkaConnection:
    """Stop the command, naming the setting, when the broker refuses its TLS or SASL settings."""
    try:
        asyncio.run(check_connection(kafka))
    except KafkaSecurityError as exc:
        raise click.ClickException(f"cannot connect to Kafka: {exc}") from None
    return kafka


def _connection(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    try:
        return load_kafka_connection(bootstrap_servers=value)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


# `--bootstrap` for commands that need only a Kafka connection: the security settings always
# come from the environment (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*), never options.
KAFKA = click.option("--bootstrap", "kafka", default=None, callback=_connection,
                     help="Kafka bootstrap servers (default: env KAFKA_BOOTSTRAP_SERVERS, "
                          "else 127.0.0.1:9092). Security settings come from the environment.")


@click.group()
def kafka() -> None:
    """A local single-node Kafka broker (KRaft) from Maven Central jars, no Docker needed."""


@kafka.command("start")
@click.option("--port", type=int, default=None, help="Listener port (default: a free port).")
@click.option("--state-dir", type=click.Path(path_type=Path), default=None)
def kafka_start(port: int | None, state_dir: Path | None) -> None:
    """Start the broker (or report the one already running) and print its address."""
    try:
        info = broker.start(state_dir, port)
    except broker.BrokerError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Kafka {broker.KAFKA_VERSION} running at {info.bootstrap_servers} "
               f"(pid {info.pid}, state {info.state_dir})")
    click.echo(f"export KAFKA_BOOTSTRAP_SERVERS={info.bootstrap_servers}")


@kafka.command("stop")
@click.option("--state-dir", type=click.Path(path_type=Path), default=None)
def kafka_stop(state_dir: Path | None) -> None:
    """Stop the broker."""
    click.echo("stopped" if broker.stop(state_dir) else "no broker was running")


@kafka.command("status")
@click.option("--state-dir", type=click.Path(path_type=Path), default=None)
def kafka_status(state_dir: Path | None) -> None:
    """Say whether the broker runs, and where; exit 1 if it does not."""
    info = broker.status(state_dir)
    if info is None:
        click.echo("not running")
        sys.exit(1)
    click.echo(f"running at {info.bootstrap_servers} (pid {info.pid}, state {info.state_dir})")


@kafka.command("jars")
def kafka_jars() -> None:
    """Fetch the broker's jars from Maven Central into the cache (done by start when needed)."""
    try:
        click.echo(broker.ensure_jars())
    except broker.BrokerError as exc:
        raise click.ClickException(str(exc)) from None
