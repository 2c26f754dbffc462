"""The secure mode of the local broker: a SASL_SSL listener, SCRAM users, a CA, an authorizer.

`afterguard kafka start --secure` keeps everything under `<state dir>/secure/`:
- `ca.pem`, the broker's and a client's certificate and key (openssl, made once);
- `users/<principal>.password`, one random password per principal (mode 600);
- `<principal>.env` (KAFKA_* variables to `source` or hand to a process; paths, no secrets)
  and `<principal>.properties` (the same for Kafka's own command-line tools).

Clients must present the client certificate (mutual TLS) and log in with SCRAM-SHA-512,
SCRAM-SHA-256 or PLAIN. Kafka's StandardAuthorizer denies whatever no ACL allows; `admin` is the
only super user (the broker itself logs in as admin). `afterguard kafka acls --apply` grants the
components what they need.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from streams.broker.certificates import Certificates, make_certificates
from streams.kafka_connection import KafkaConnection

ADMIN = "admin"
# One principal per component; `agent` stands for the agents that write action results.
PRINCIPALS = (ADMIN, "agent", "worker", "review", "autonomy", "sink")
CLIENT_MECHANISM = "SCRAM-SHA-512"
PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule"
SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule"


@dataclass(frozen=True)
class SecureFiles:
    directory: Path

    @property
    def certificates(self) -> Certificates:
        return Certificates.in_dir(self.directory)

    def password_file(self, principal: str) -> Path:
        return self.directory / "users" / f"{principal}.password"

    def password(self, principal: str) -> str:
        return self.password_file(principal).read_text().strip()

    def env_file(self, principal: str) -> Path:
        return self.directory / f"{principal}.env"

    def properties_file(self, principal: str) -> Path:
        return self.directory / f"{principal}.properties"

    def client_env(self, principal: str, bootstrap_servers: str,
                   mechanism: str = CLIENT_MECHANISM) -> dict[str, str]:
        """The KAFKA_* variables a client of this principal runs with (no secret inside)."""
        certs = self.certificates
        return {
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers,
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SSL_CA_FILE": str(certs.ca_cert),
            "KAFKA_SSL_CERT_FILE": str(certs.client_cert),
            "KAFKA_SSL_KEY_FILE": str(certs.client_key),
            "KAFKA_SASL_MECHANISM": mechanism,
            "KAFKA_SASL_USERNAME": principal,
            "KAFKA_SASL_PASSWORD_FILE": str(self.password_file(principal)),
        }

    def connection(self, principal: str, bootstrap_servers: str,
                   mechanism: str = CLIENT_MECHANISM) -> KafkaConnection:
        env = self.client_env(principal, bootstrap_servers, mechanism)
        from streams.config import load_kafka_connection

        return load_kafka_connection(env)


def prepare(state_dir: Path) -> SecureFiles:
    """Certificates and passwords for this state directory (made once, kept across restarts)."""
    return make_files(state_dir / "secure")


def make_files(directory: Path, hostnames: tuple[str, ...] = ()) -> SecureFiles:
    """A CA, broker and client certificates (the broker's naming localhost, 127.0.0.1 and
    `hostnames`) and one password per principal, in `directory`; existing ones are kept."""
    files = SecureFiles(directory)
    if not files.certificates.exist():
        make_certificates(files.directory, hostnames)
    users = files.directory / "users"
    users.mkdir(parents=True, exist_ok=True)
    os.chmod(users, 0o700)
    for principal in PRINCIPALS:
        path = files.password_file(principal)
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(24))
    return files


def scram_arguments(files: SecureFiles) -> list[str]:
    """`kafka-storage format` arguments that add every principal's SCRAM credentials
    (written to a Java argument file by the caller, so no password shows in a process list)."""
    arguments = []
    for principal in PRINCIPALS:
        password = files.password(principal)
        for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512"):
            arguments += ["--add-scram", f"{mechanism}=[name={principal},password={password}]"]
    return arguments


def server_properties(files: SecureFiles, port: int, controller_port: int) -> list[str]:
    """The secure listener, TLS, SASL and authorizer lines of server.properties."""
    certs = files.certificates
    admin = files.password(ADMIN)
    plain_users = " ".join(f'user_{p}="{files.password(p)}"' for p in PRINCIPALS)
    return [
        f"listeners=SASL_SSL://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        f"advertised.listeners=SASL_SSL://127.0.0.1:{port}",
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=SASL_SSL",
        "listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SASL_SSL",
        "sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN",
        # The broker and the controller log in to each other as admin with PLAIN (SCRAM
        # credentials live in the metadata log, which the controller serves itself).
        "sasl.mechanism.inter.broker.protocol=PLAIN",
        "sasl.mechanism.controller.protocol=PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
        (f'listener.name.controller.plain.sasl.jaas.config={PLAIN_LOGIN} required '
         f'username="{ADMIN}" password="{admin}" user_{ADMIN}="{admin}";'),
        (f'listener.name.sasl_ssl.plain.sasl.jaas.config={PLAIN_LOGIN} required '
         f'username="{ADMIN}" password="{admin}" {plain_users};'),
        f"listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config={SCRAM_LOGIN} required;",
        f"listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config={SCRAM_LOGIN} required;",
        "ssl.keystore.type=PEM",
        f"ssl.keystore.location={certs.broker_keystore}",
        "ssl.truststore.type=PEM",
        f"ssl.truststore.location={certs.ca_cert}",
        # mutual TLS: a SASL_SSL listener only takes ssl.client.auth with its own prefix
        "listener.name.sasl_ssl.ssl.client.auth=required",
        "listener.name.controller.ssl.client.auth=required",
        "ssl.endpoint.identification.algorithm=https",
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        f"super.users=User:{ADMIN}",
        "allow.everyone.if.no.acl.found=false",
    ]


def _private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def tools_properties(files: SecureFiles, principal: str, bootstrap_servers: str,
                     mechanism: str = CLIENT_MECHANISM, mount_path: Path | None = None) -> str:
    """Settings for Kafka's own command-line tools (--command-config) as this principal; paths
    under `mount_path` when the files are mounted elsewhere (a container)."""
    where = mount_path or files.directory
    login = PLAIN_LOGIN if mechanism == "PLAIN" else SCRAM_LOGIN
    return "\n".join([
        f"# Kafka command-line tools as {principal} (--command-config)",
        f"bootstrap.servers={bootstrap_servers}",
        "security.protocol=SASL_SSL",
        f"sasl.mechanism={mechanism}",
        (f'sasl.jaas.config={login} required username="{principal}" '
         f'password="{files.password(principal)}";'),
        "ssl.truststore.type=PEM",
        f"ssl.truststore.location={where / files.certificates.ca_cert.name}",
        "ssl.keystore.type=PEM",
        f"ssl.keystore.location={where / 'client-keystore.pem'}",
        "",
    ])


def write_client_keystore(files: SecureFiles) -> None:
    """The client key and certificate in one PEM file (a Java client's keystore)."""
    keystore = files.directory / "client-keystore.pem"
    if not keystore.exists():
        certs = files.certificates
        _private(keystore, certs.client_key.read_text() + certs.client_cert.read_text())


def write_client_files(files: SecureFiles, bootstrap_servers: str) -> None:
    """`<principal>.env` and `<principal>.properties` for every principal."""
    for principal in PRINCIPALS:
        env = files.client_env(principal, bootstrap_servers)
        files.env_file(principal).write_text(
            f"# Afterguard's Kafka settings for the {principal} principal: "
            f"set -a; . {files.env_file(principal)}; set +a\n"
            + "".join(f"{name}={value}\n" for name, value in env.items()))
        _private(files.properties_file(principal),  # Kafka's tools want the password inline
                 tools_properties(files, principal, bootstrap_servers))
    write_client_keystore(files)
