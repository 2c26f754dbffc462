"""Connect once before a process starts its clients, and explain a refused connection.

aiokafka retries a refused TLS handshake or a failed SASL login as "Unable to bootstrap", and
faust would keep retrying; an operator needs to know which setting is wrong. `check_connection`
makes one connection to each bootstrap server with the process's own settings and turns a
certificate or authentication failure into a `KafkaSecurityError` naming the setting. A broker
that is down is not an error here: the clients wait for it as before.
"""

from __future__ import annotations

import asyncio
import logging
import ssl

from aiokafka.conn import create_conn
from aiokafka.errors import (
    IllegalSaslStateError,
    KafkaConnectionError,
    KafkaError,
    SaslAuthenticationFailed,
    UnsupportedSaslMechanismError,
)
from aiokafka.protocol.metadata import MetadataRequest

from streams.kafka_connection import KafkaConnection, SaslMechanism

log = logging.getLogger(__name__)

HOSTNAME_MISMATCH = 62  # X509_V_ERR_HOSTNAME_MISMATCH
IP_ADDRESS_MISMATCH = 64  # X509_V_ERR_IP_ADDRESS_MISMATCH


class KafkaSecurityError(RuntimeError):
    """The broker refused this process's TLS or SASL settings; the message names the setting."""


def _split(server: str) -> tuple[str, int]:
    host, _, port = server.rpartition(":")
    return (host.strip("[]") or server), int(port or 9092)


def _credential_setting(kafka: KafkaConnection) -> str:
    if kafka.sasl_mechanism is SaslMechanism.OAUTHBEARER:
        return "KAFKA_SASL_OAUTH_TOKEN_FILE"
    return f"KAFKA_SASL_USERNAME/{kafka.password_setting}"


def explain(kafka: KafkaConnection, where: str, exc: BaseException) -> str | None:
    """The message naming the setting at fault, or None when `exc` is not a security refusal."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        if exc.verify_code in (HOSTNAME_MISMATCH, IP_ADDRESS_MISMATCH):
            return (f"KAFKA_SSL_CHECK_HOSTNAME: the certificate of the broker at {where} does "
                    f"not name that host ({exc.verify_message}); connect by a name the "
                    f"certificate holds (KAFKA_BOOTSTRAP_SERVERS)")
        ca = kafka.ssl_ca_file or "the system's trust store"
        return (f"KAFKA_SSL_CA_FILE: the certificate of the broker at {where} is not trusted "
                f"by {ca} ({exc.verify_message})")
    if isinstance(exc, ssl.SSLError):
        reason = (exc.reason or str(exc)).upper()
        if "CERTIFICATE_REQUIRED" in reason or "BAD_CERTIFICATE" in reason \
                or "UNKNOWN_CA" in reason:
            return (f"KAFKA_SSL_CERT_FILE/KAFKA_SSL_KEY_FILE: the broker at {where} refused the "
                    f"client certificate ({exc.reason}); mutual TLS needs a certificate its "
                    f"CA signed")
        if "WRONG_VERSION_NUMBER" in reason or "RECORD_LAYER" in reason:
            return (f"KAFKA_SECURITY_PROTOCOL: the listener at {where} does not speak TLS "
                    f"({exc.reason})")
        return f"KAFKA_SECURITY_PROTOCOL/KAFKA_SSL_*: TLS with the broker at {where} failed " \
               f"({exc.reason})"
    if isinstance(exc, SaslAuthenticationFailed):
        return (f"{_credential_setting(kafka)}: the broker at {where} refused the "
                f"{kafka.sasl_mechanism} login (wrong user name or password)")
    if isinstance(exc, UnsupportedSaslMechanismError):
        return (f"KAFKA_SASL_MECHANISM: the broker at {where} does not offer "
                f"{kafka.sasl_mechanism}")
    if isinstance(exc, KafkaConnectionError) and "closed" in str(exc):
        # the TCP connection was made, then the broker hung up on us: with TLS 1.3 a missing
        # client certificate shows only this way (the alert comes after the handshake)
        if kafka.uses_tls and kafka.ssl_cert_file is None:
            return (f"KAFKA_SSL_CERT_FILE/KAFKA_SSL_KEY_FILE: the broker at {where} closed the "
                    f"connection after the TLS handshake; it probably requires a client "
                    f"certificate (mutual TLS) and none is set (or its listener expects "
                    f"another KAFKA_SECURITY_PROTOCOL than {kafka.security_protocol})")
        return (f"KAFKA_SECURITY_PROTOCOL: the broker at {where} closed the connection before "
                f"answering; its listener expects another security protocol than "
                f"{kafka.security_protocol} (or TLS/SASL settings it refuses)")
    if isinstance(exc, IllegalSaslStateError):
        return (f"KAFKA_SECURITY_PROTOCOL: the listener at {where} does not expect a SASL "
                f"login ({kafka.security_protocol})")
    return None


async def check_connection(kafka: KafkaConnection, timeout_s: float = 15.0) -> None:
    """Raise KafkaSecurityError when a bootstrap server refuses these settings."""
    options = kafka.client_options()
    options.pop("bootstrap_servers")
    for server in kafka.servers:
        host, port = _split(server)
        try:
            conn = await create_conn(host, port, request_timeout_ms=int(timeout_s * 1000),
                                     **options)
        except (TimeoutError, OSError, KafkaError) as exc:
            message = explain(kafka, server, exc)
            if message is not None:
                raise KafkaSecurityError(message) from None
            log.debug("preflight connection to %s failed: %r", server, exc)
            continue  # unreachable: the clients will retry and report it themselves
        try:
            await asyncio.wait_for(conn.send(MetadataRequest([])), timeout_s)
        except (TimeoutError, KafkaError) as exc:
            raise KafkaSecurityError(explain(kafka, server, exc) or (
                f"KAFKA_SECURITY_PROTOCOL: the broker at {server} took the connection but did "
                f"not answer a request over {kafka.security_protocol} ({type(exc).__name__})"
            )) from None
        finally:
            conn.close()
        return
