"""The Kafka side of the command line: the connection every command uses, checked before it
starts, and `afterguard kafka` (the local broker)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import click

from streams import broker
from streams.config import ConfigError, load_kafka_connection, load_settings
from streams.kafka_acls import COMPONENTS, DEFAULT_SINK_GROUP, acl_set, apply, render
from streams.kafka_admin import MissingTopic
from streams.kafka_check import KafkaSecurityError, check_connection
from streams.kafka_connection import KafkaConnection


class CommandGroup(click.Group):
    """The `afterguard` group: a topic a command reads that does not exist stops it with exit
    status 2 and the reason (no traceback), wherever below the command it was found."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MissingTopic as exc:
            missing = click.ClickException(str(exc))
            missing.exit_code = 2
            raise missing from None


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
@click.option("--secure", is_flag=True,
              help="SASL_SSL only: a CA and certificates it makes, SCRAM users (one per "
                   "component), mutual TLS and Kafka's authorizer (grant with `kafka acls`).")
def kafka_start(port: int | None, state_dir: Path | None, secure: bool) -> None:
    """Start the broker (or report the one already running) and print its address."""
    try:
        info = broker.start(state_dir, port, secure_mode=secure)
    except broker.BrokerError as exc:
        raise click.ClickException(str(exc)) from None
    mode = "SASL_SSL" if info.secure else "PLAINTEXT"
    click.echo(f"Kafka {broker.KAFKA_VERSION} running at {info.bootstrap_servers} ({mode}, "
               f"pid {info.pid}, state {info.state_dir})")
    if not info.secure:
        click.echo(f"export KAFKA_BOOTSTRAP_SERVERS={info.bootstrap_servers}")
        return
    files = info.secure_files
    click.echo(f"CA certificate: {files.certificates.ca_cert}")
    click.echo("Settings per principal (passwords stay in files; source one of these):")
    for principal in broker.PRINCIPALS:
        click.echo(f"  {principal:9} set -a; . {files.env_file(principal)}; set +a")
    click.echo("Grant the components their topics: afterguard kafka acls --apply "
               "(as admin: source admin.env first)")


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


@kafka.command("credentials")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--hostname", "hostnames", multiple=True,
              help="Another name the broker certificate holds (besides localhost, 127.0.0.1).")
@click.option("--bootstrap", default="localhost:9092", show_default=True,
              help="The brokers named in admin.properties.")
@click.option("--mount-path", type=click.Path(path_type=Path), default=None,
              help="Where the directory is mounted for Kafka's tools (a container path).")
def kafka_credentials(directory: Path, hostnames: tuple[str, ...], bootstrap: str,
                      mount_path: Path | None) -> None:
    """Make a CA, broker and client certificates and one password per principal for a broker
    you run yourself (docker-compose.secure.yml), and admin.properties for Kafka's tools."""
    from streams.broker.certificates import CertificateError
    from streams.broker.secure import ADMIN, make_files, tools_properties, write_client_keystore

    try:
        files = make_files(directory, hostnames)
    except CertificateError as exc:
        raise click.ClickException(str(exc)) from None
    write_client_keystore(files)
    admin = directory / "admin.properties"
    fd = os.open(admin, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(tools_properties(files, ADMIN, bootstrap, "PLAIN", mount_path))
    click.echo(f"CA {files.certificates.ca_cert}; broker keystore "
               f"{files.certificates.broker_keystore}; client certificate "
               f"{files.certificates.client_cert}")
    click.echo(f"passwords (mode 600): {directory / 'users'}/<principal>.password for "
               f"{', '.join(broker.PRINCIPALS)}; Kafka tools as admin: {admin}")


@kafka.command("acls")
@click.option("--print", "print_", is_flag=True,
              help="Print the ACL set as a table and as kafka-acls.sh commands.")
@click.option("--apply", "apply_", is_flag=True,
              help="Create the topics and the ACLs (connect as a super user: KAFKA_* settings).")
@click.option("--principal", "overrides", multiple=True, metavar="COMPONENT=User:NAME",
              help="The principal of a component (agent, worker, review, autonomy, sink); "
                   "default User:<component>, as on `kafka start --secure`.")
@click.option("--sink-group", default=DEFAULT_SINK_GROUP, show_default=True,
              help="The audit sink's consumer group (afterguard audit sink --group).")
def kafka_acls(print_: bool, apply_: bool, overrides: tuple[str, ...], sink_group: str) -> None:
    """The ACLs each component needs for the configured topics (AFTERGUARD_* settings): agents
    write their input topics only; every other topic has one writer."""
    from streams.topic_plan import ensure_all_topics

    if print_ == apply_:
        raise click.UsageError("give exactly one of --print and --apply")
    principals = {component: f"User:{component}" for component in COMPONENTS}
    for override in overrides:
        component, _, principal = override.partition("=")
        if component not in principals or not principal.startswith("User:"):
            raise click.BadParameter(f"{override!r}: expected COMPONENT=User:NAME with COMPONENT "
                                     f"one of {', '.join(COMPONENTS)}", param_hint="--principal")
        principals[component] = principal
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    grants = acl_set(settings, principals, sink_group)
    if print_:
        click.echo(render(grants))
        click.echo("\n# the same with Kafka's own tool:")
        for grant in grants:
            click.echo(grant.kafka_acls_command())
        return
    require_connection(settings.kafka)
    asyncio.run(ensure_all_topics(settings.kafka, settings))
    count = asyncio.run(apply(settings.kafka, grants))
    click.echo(f"{count} ACLs created for {len(principals)} principals "
               f"({', '.join(sorted(principals.values()))}); topics created where missing")
