"""Configuration comes from the environment, is validated once, and errors name the variable."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from streams.config import ConfigError, load_settings
from streams.transactional import given_up_after_s


def test_topics_and_broker_from_environment() -> None:
    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "k1:9092,k2:9092",
                              "AFTERGUARD_INPUT_TOPICS": "agents.a, agents.b",
                              "AFTERGUARD_TOPIC_AUDIT": "audit.v1"})
    assert settings.kafka.bootstrap_servers == "k1:9092,k2:9092"
    assert settings.topics.inputs == ("agents.a", "agents.b")
    assert settings.topics.audit == "audit.v1"
    assert settings.topics.released == "afterguard.released"


@pytest.mark.parametrize(("env", "message"), [
    ({"AFTERGUARD_BATCH_SIZE": "lots"}, "AFTERGUARD_BATCH_SIZE: Input should be a valid integer"),
    ({"AFTERGUARD_INPUT_TOPICS": " , "}, "AFTERGUARD_INPUT_TOPICS:"),
    ({"AFTERGUARD_APP_ID": "has space"}, "AFTERGUARD_APP_ID: String should match pattern"),
    ({"AFTERGUARD_BROKER_ABORT_INTERVAL_MS": "10s"},
     "AFTERGUARD_BROKER_ABORT_INTERVAL_MS: Input should be a valid integer"),
])
def test_invalid_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_hash_key_file_must_exist_and_be_long_enough(tmp_path: Path) -> None:
    missing = load_settings({"AFTERGUARD_HASH_KEY_FILE": str(tmp_path / "nope")})
    with pytest.raises(ConfigError, match="AFTERGUARD_HASH_KEY_FILE: .* does not exist"):
        missing.hash_key()
    short = tmp_path / "short"
    short.write_text("abc")
    with pytest.raises(ConfigError, match="at least 32 are required"):
        load_settings({"AFTERGUARD_HASH_KEY_FILE": str(short)}).hash_key()
    repeated = tmp_path / "repeated"
    repeated.write_text("x" * 64)
    with pytest.raises(ConfigError, match="not random"):
        load_settings({"AFTERGUARD_HASH_KEY_FILE": str(repeated)}).hash_key()
    good = tmp_path / "good"
    good.write_text(secrets.token_hex(32))
    key = load_settings({"AFTERGUARD_HASH_KEY_FILE": str(good)}).hash_key()
    assert len(key.key_id) == 16 and key.secret.hex() not in repr(key)


def test_a_hung_transaction_is_given_up_after_the_timeout_and_two_of_the_brokers_looks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Kafka's brokers look for timed-out transactions every 10 s unless configured otherwise
    (the local broker: every second), and say so in AFTERGUARD_BROKER_ABORT_INTERVAL_MS."""
    monkeypatch.delenv("AFTERGUARD_BROKER_ABORT_INTERVAL_MS", raising=False)
    assert given_up_after_s(10_000) == 30.0
    monkeypatch.setenv("AFTERGUARD_BROKER_ABORT_INTERVAL_MS", "1000")
    assert given_up_after_s(10_000) == 12.0
    assert load_settings({"AFTERGUARD_BROKER_ABORT_INTERVAL_MS": "1000"}
                         ).broker_abort_interval_ms == 1000
