"""The Kafka connection settings: validated once, secrets kept out of sight, one set of client
options for aiokafka and faust."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from streams.broker.certificates import Certificates, make_certificates
from streams.config import ConfigError, load_kafka_connection, load_settings

SCRAM = {"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
         "KAFKA_SASL_USERNAME": "worker"}


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certs"))


def test_plaintext_by_default() -> None:
    kafka = load_kafka_connection({})
    assert kafka.client_options() == {"bootstrap_servers": ["127.0.0.1:9092"],
                                      "security_protocol": "PLAINTEXT"}
    assert kafka.faust_options() == {"broker": ["kafka://127.0.0.1:9092"],
                                     "broker_credentials": None}


def test_settings_carry_the_connection() -> None:
    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "k1:9093, k2:9093", **SCRAM,
                              "KAFKA_SASL_PASSWORD": "pw-from-env"})
    assert settings.kafka.servers == ["k1:9093", "k2:9093"]
    assert settings.kafka.client_options()["sasl_plain_password"] == "pw-from-env"


def test_password_from_a_file_and_never_in_a_repr(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("s3cret-from-file\n")
    kafka = load_kafka_connection({**SCRAM, "KAFKA_SASL_PASSWORD_FILE": str(secret)})
    options = kafka.client_options()
    assert options["sasl_plain_password"] == "s3cret-from-file"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert options["ssl_context"].check_hostname
    assert options["ssl_context"].verify_mode == ssl.CERT_REQUIRED
    env_kafka = load_kafka_connection({**SCRAM, "KAFKA_SASL_PASSWORD": "s3cret-from-env"})
    for shown in (repr(kafka), str(kafka), repr(env_kafka), str(env_kafka),
                  repr(env_kafka.faust_options())):
        assert "s3cret" not in shown


@pytest.mark.parametrize(("env", "named"), [
    ({"KAFKA_SECURITY_PROTOCOL": "TLS"}, "KAFKA_SECURITY_PROTOCOL"),
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "KAFKA_SASL_MECHANISM"),
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_MECHANISM": "GSSAPI"},
     "KAFKA_SASL_MECHANISM"),
    ({**SCRAM, "KAFKA_SASL_USERNAME": ""}, "KAFKA_SASL_USERNAME"),
    (SCRAM, "KAFKA_SASL_PASSWORD"),
    ({**SCRAM, "KAFKA_SASL_PASSWORD_FILE": "/nonexistent/pw"}, "KAFKA_SASL_PASSWORD_FILE"),
    ({"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_CA_FILE": "/nonexistent/ca.pem"},
     "KAFKA_SSL_CA_FILE"),
    ({"KAFKA_SSL_CA_FILE": "/etc/hostname"}, "KAFKA_SSL_CA_FILE"),  # TLS file without TLS
    ({"KAFKA_SASL_MECHANISM": "PLAIN"}, "KAFKA_SASL_MECHANISM"),
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_MECHANISM": "OAUTHBEARER"},
     "KAFKA_SASL_OAUTH_TOKEN_FILE"),
    ({"KAFKA_SSL_CHECK_HOSTNAME": "maybe"}, "KAFKA_SSL_CHECK_HOSTNAME"),
])
def test_invalid_settings_name_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_kafka_connection(env)


def test_both_password_sources_is_ambiguous(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("a")
    with pytest.raises(ConfigError, match="exactly one of KAFKA_SASL_PASSWORD_FILE"):
        load_kafka_connection({**SCRAM, "KAFKA_SASL_PASSWORD": "b",
                               "KAFKA_SASL_PASSWORD_FILE": str(secret)})


def test_a_file_that_is_no_certificate_names_the_setting(tmp_path: Path,
                                                         certs: Certificates) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    with pytest.raises(ConfigError, match="KAFKA_SSL_CA_FILE"):
        load_kafka_connection({"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_CA_FILE": str(junk)})
    with pytest.raises(ConfigError, match="KAFKA_SSL_CERT_FILE/KAFKA_SSL_KEY_FILE"):
        load_kafka_connection({"KAFKA_SECURITY_PROTOCOL": "SSL",
                               "KAFKA_SSL_CA_FILE": str(certs.ca_cert),
                               "KAFKA_SSL_CERT_FILE": str(certs.client_cert),
                               "KAFKA_SSL_KEY_FILE": str(certs.broker_key)})  # wrong key
    with pytest.raises(ConfigError, match="go together"):
        load_kafka_connection({"KAFKA_SECURITY_PROTOCOL": "SSL",
                               "KAFKA_SSL_CERT_FILE": str(certs.client_cert)})


def test_mutual_tls_and_hostname_setting(certs: Certificates) -> None:
    kafka = load_kafka_connection({"KAFKA_SECURITY_PROTOCOL": "SSL",
                                   "KAFKA_SSL_CA_FILE": str(certs.ca_cert),
                                   "KAFKA_SSL_CERT_FILE": str(certs.client_cert),
                                   "KAFKA_SSL_KEY_FILE": str(certs.client_key),
                                   "KAFKA_SSL_CHECK_HOSTNAME": "false"})
    context = kafka.client_options()["ssl_context"]
    assert not context.check_hostname
    assert kafka.faust_options()["broker_credentials"].context is not None


def test_bootstrap_override_keeps_the_security(tmp_path: Path) -> None:
    kafka = load_kafka_connection({**SCRAM, "KAFKA_SASL_PASSWORD": "pw"},
                                  bootstrap_servers="other:9094")
    assert kafka.servers == ["other:9094"]
    assert kafka.client_options()["sasl_plain_username"] == "worker"
    moved = kafka.with_bootstrap("third:9095")
    assert moved.servers == ["third:9095"]
    assert moved.client_options()["sasl_plain_password"] == "pw"


def test_oauthbearer_reads_the_token_file_at_each_login(tmp_path: Path) -> None:
    import asyncio

    token = tmp_path / "token"
    token.write_text("first-token")
    kafka = load_kafka_connection({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
                                   "KAFKA_SASL_MECHANISM": "OAUTHBEARER",
                                   "KAFKA_SASL_OAUTH_TOKEN_FILE": str(token)})
    provider = kafka.client_options()["sasl_oauth_token_provider"]
    assert asyncio.run(provider.token()) == "first-token"
    token.write_text("refreshed-token\n")
    assert asyncio.run(provider.token()) == "refreshed-token"
    assert "first-token" not in repr(kafka.faust_options())
