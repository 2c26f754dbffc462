"""How every Kafka client of Afterguard connects: bootstrap servers and security, in one object.

`KafkaConnection` is validated once (files exist, certificates load, secrets are present) and
every consumer, producer, admin client and faust app is built from it; nothing else passes
connection options to aiokafka or faust. Secrets come from files or the environment, never from
the command line, and never appear in a repr or an error message.
"""

from __future__ import annotations

import logging
import os
import ssl
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.abc import AbstractTokenProvider
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.client import AIOKafkaClient
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator

log = logging.getLogger(__name__)


class SecurityProtocol(StrEnum):
    PLAINTEXT = "PLAINTEXT"
    SSL = "SSL"
    SASL_PLAINTEXT = "SASL_PLAINTEXT"
    SASL_SSL = "SASL_SSL"


class SaslMechanism(StrEnum):
    PLAIN = "PLAIN"
    SCRAM_SHA_256 = "SCRAM-SHA-256"
    SCRAM_SHA_512 = "SCRAM-SHA-512"
    OAUTHBEARER = "OAUTHBEARER"


# environment variable -> KafkaConnection field (the settings table in README.md lists them)
KAFKA_ENV: dict[str, str] = {
    "KAFKA_BOOTSTRAP_SERVERS": "bootstrap_servers",
    "KAFKA_SECURITY_PROTOCOL": "security_protocol",
    "KAFKA_SSL_CA_FILE": "ssl_ca_file",
    "KAFKA_SSL_CERT_FILE": "ssl_cert_file",
    "KAFKA_SSL_KEY_FILE": "ssl_key_file",
    "KAFKA_SSL_KEY_PASSWORD_FILE": "ssl_key_password_file",
    "KAFKA_SSL_CHECK_HOSTNAME": "ssl_check_hostname",
    "KAFKA_SASL_MECHANISM": "sasl_mechanism",
    "KAFKA_SASL_USERNAME": "sasl_username",
    "KAFKA_SASL_PASSWORD": "sasl_password",
    "KAFKA_SASL_PASSWORD_FILE": "sasl_password_file",
    "KAFKA_SASL_OAUTH_TOKEN_FILE": "sasl_oauth_token_file",
}


class FileTokenProvider(AbstractTokenProvider):  # type: ignore[misc]  # aiokafka is untyped
    """OAUTHBEARER: the token is read from a file at every authentication, so an outside
    refresher (a sidecar, a cron job) can replace it without restarting Afterguard."""

    def __init__(self, path: Path) -> None:
        self._path = path

    async def token(self) -> str:
        return self._path.read_text().strip()


def _read_secret(path: Path, variable: str) -> str:
    try:
        secret = path.read_text().strip()
    except OSError as exc:
        raise ValueError(f"{variable}: cannot read {path} ({exc.strerror})") from None
    if not secret:
        raise ValueError(f"{variable}: {path} is empty")
    return secret


class KafkaConnection(BaseModel):
    """Bootstrap servers and security settings for one Kafka cluster (see `KAFKA_ENV`)."""

    model_config = ConfigDict(frozen=True)

    bootstrap_servers: str = Field(default="127.0.0.1:9092", min_length=1)
    security_protocol: SecurityProtocol = SecurityProtocol.PLAINTEXT
    ssl_ca_file: Path | None = None
    ssl_cert_file: Path | None = None
    ssl_key_file: Path | None = None
    ssl_key_password_file: Path | None = None
    ssl_check_hostname: bool = True
    sasl_mechanism: SaslMechanism | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    sasl_password_file: Path | None = None
    sasl_oauth_token_file: Path | None = None

    _password: str | None = PrivateAttr(default=None)
    _key_password: str | None = PrivateAttr(default=None)

    @property
    def uses_tls(self) -> bool:
        return self.security_protocol in (SecurityProtocol.SSL, SecurityProtocol.SASL_SSL)

    @property
    def uses_sasl(self) -> bool:
        return self.security_protocol in (SecurityProtocol.SASL_PLAINTEXT,
                                          SecurityProtocol.SASL_SSL)

    @property
    def servers(self) -> list[str]:
        return [s.strip() for s in self.bootstrap_servers.split(",") if s.strip()]

    @model_validator(mode="after")
    def _consistent(self) -> KafkaConnection:
        tls_files = {"KAFKA_SSL_CA_FILE": self.ssl_ca_file, "KAFKA_SSL_CERT_FILE":
                     self.ssl_cert_file, "KAFKA_SSL_KEY_FILE": self.ssl_key_file,
                     "KAFKA_SSL_KEY_PASSWORD_FILE": self.ssl_key_password_file}
        if not self.uses_tls:
            given = [name for name, value in tls_files.items() if value is not None]
            if given:
                raise ValueError(f"{', '.join(given)} set but KAFKA_SECURITY_PROTOCOL is "
                                 f"{self.security_protocol}: use SSL or SASL_SSL")
        if (self.ssl_cert_file is None) != (self.ssl_key_file is None):
            raise ValueError("KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together "
                             "(mutual TLS needs both the client certificate and its key)")
        for name, path in tls_files.items():
            if path is not None and not path.is_file():
                raise ValueError(f"{name}: {path} does not exist or is not a file")
        if self.ssl_key_password_file is not None:
            self._key_password = _read_secret(self.ssl_key_password_file,
                                              "KAFKA_SSL_KEY_PASSWORD_FILE")
        if self.uses_sasl:
            self._check_sasl()
        elif self.sasl_mechanism is not None:
            raise ValueError(f"KAFKA_SASL_MECHANISM set but KAFKA_SECURITY_PROTOCOL is "
                             f"{self.security_protocol}: use SASL_SSL or SASL_PLAINTEXT")
        if self.uses_tls:
            self.ssl_context()  # a certificate or key that does not load fails here, once
        return self

    def _check_sasl(self) -> None:
        if self.sasl_mechanism is None:
            raise ValueError(f"KAFKA_SASL_MECHANISM is required with KAFKA_SECURITY_PROTOCOL="
                             f"{self.security_protocol} (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 "
                             "or OAUTHBEARER)")
        if self.sasl_mechanism is SaslMechanism.OAUTHBEARER:
            if self.sasl_oauth_token_file is None:
                raise ValueError("KAFKA_SASL_OAUTH_TOKEN_FILE is required with "
                                 "KAFKA_SASL_MECHANISM=OAUTHBEARER")
            _read_secret(self.sasl_oauth_token_file, "KAFKA_SASL_OAUTH_TOKEN_FILE")
            return
        if not self.sasl_username:
            raise ValueError(f"KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM="
                             f"{self.sasl_mechanism}")
        if (self.sasl_password is None) == (self.sasl_password_file is None):
            raise ValueError("set exactly one of KAFKA_SASL_PASSWORD_FILE and "
                             "KAFKA_SASL_PASSWORD")
        if self.sasl_password_file is not None:
            self._password = _read_secret(self.sasl_password_file, "KAFKA_SASL_PASSWORD_FILE")
        else:
            assert self.sasl_password is not None
            self._password = self.sasl_password.get_secret_value()
            if not self._password:
                raise ValueError("KAFKA_SASL_PASSWORD is empty")
        if self.security_protocol is SecurityProtocol.SASL_PLAINTEXT:
            log.warning("KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT: credentials and records cross "
                        "the network unencrypted; use SASL_SSL outside a trusted network")

    @property
    def password_setting(self) -> str:
        """The variable that supplied the SASL password (for error messages)."""
        return ("KAFKA_SASL_PASSWORD_FILE" if self.sasl_password_file is not None
                else "KAFKA_SASL_PASSWORD")

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.uses_tls:
            return None
        try:
            context = ssl.create_default_context(
                cafile=str(self.ssl_ca_file) if self.ssl_ca_file else None)
        except (ssl.SSLError, OSError) as exc:
            raise ValueError(f"KAFKA_SSL_CA_FILE: {self.ssl_ca_file} holds no usable CA "
                             f"certificate ({exc})") from None
        context.check_hostname = self.ssl_check_hostname
        if self.ssl_cert_file is not None and self.ssl_key_file is not None:
            try:
                context.load_cert_chain(self.ssl_cert_file, self.ssl_key_file,
                                        password=self._key_password)
            except (ssl.SSLError, OSError) as exc:
                raise ValueError(f"KAFKA_SSL_CERT_FILE/KAFKA_SSL_KEY_FILE: cannot load the "
                                 f"client certificate {self.ssl_cert_file} with its key "
                                 f"{self.ssl_key_file} (wrong key, or "
                                 f"KAFKA_SSL_KEY_PASSWORD_FILE needed or wrong: "
                                 f"{type(exc).__name__})") from None
        return context

    def client_options(self) -> dict[str, Any]:
        """The keyword arguments every aiokafka client gets (connection and security)."""
        options: dict[str, Any] = {"bootstrap_servers": self.servers,
                                   "security_protocol": str(self.security_protocol)}
        if self.uses_tls:
            options["ssl_context"] = self.ssl_context()
        if self.uses_sasl:
            assert self.sasl_mechanism is not None
            options["sasl_mechanism"] = str(self.sasl_mechanism)
            if self.sasl_mechanism is SaslMechanism.OAUTHBEARER:
                assert self.sasl_oauth_token_file is not None
                options["sasl_oauth_token_provider"] = FileTokenProvider(
                    self.sasl_oauth_token_file)
            else:
                options["sasl_plain_username"] = self.sasl_username
                options["sasl_plain_password"] = self._password
        return options

    def consumer(self, *topics: str, **options: Any) -> AIOKafkaConsumer:
        return AIOKafkaConsumer(*topics, **self.client_options(), **options)

    def producer(self, **options: Any) -> AIOKafkaProducer:
        return AIOKafkaProducer(**self.client_options(), **options)

    def admin(self, **options: Any) -> AIOKafkaAdminClient:
        return AIOKafkaAdminClient(**self.client_options(), **options)

    def client(self, **options: Any) -> AIOKafkaClient:
        """The low-level client (requests the admin client lacks, e.g. CreateAcls)."""
        return AIOKafkaClient(**self.client_options(), **options)

    def faust_options(self) -> dict[str, Any]:
        """`broker` and `broker_credentials` for `faust.App(...)`."""
        import faust

        credentials: Any = None
        context = self.ssl_context()
        if self.uses_sasl and self.sasl_mechanism is SaslMechanism.OAUTHBEARER:
            assert self.sasl_oauth_token_file is not None
            credentials = faust.OAuthCredentials(
                oauth_cb=FileTokenProvider(self.sasl_oauth_token_file), ssl_context=context)
        elif self.uses_sasl:
            assert self.sasl_mechanism is not None
            credentials = faust.SASLCredentials(
                username=self.sasl_username, password=self._password, ssl_context=context,
                mechanism=str(self.sasl_mechanism))
        elif context is not None:
            credentials = faust.SSLCredentials(context)
        return {"broker": [f"kafka://{server}" for server in self.servers],
                "broker_credentials": credentials}

    def with_bootstrap(self, bootstrap_servers: str | None) -> KafkaConnection:
        """The same security settings for other bootstrap servers (a CLI's --bootstrap)."""
        if not bootstrap_servers:
            return self
        return type(self).model_validate({**self.model_dump(), "bootstrap_servers":
                                          bootstrap_servers})


def plaintext(bootstrap_servers: str) -> KafkaConnection:
    """A connection without security (a local development broker, tests)."""
    return KafkaConnection(bootstrap_servers=bootstrap_servers)


def kafka_env_values(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The KafkaConnection fields given in the environment (unset and empty ones left out)."""
    environ = os.environ if environ is None else environ
    return {field: environ[variable] for variable, field in KAFKA_ENV.items()
            if environ.get(variable, "") != ""}
