"""The registry settings are checked at start, and errors name the variables; no secret is
ever part of a URL, a repr or a message."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.config import ConfigError, load_settings


def test_a_registry_is_configured_from_the_environment(tmp_path: Path) -> None:
    password = tmp_path / "registry.password"
    password.write_text("s3cret-registry-pass\n")
    settings = load_settings({"AFTERGUARD_SCHEMA_REGISTRY_URL": "https://registry:8081/",
                              "AFTERGUARD_SCHEMA_REGISTRY_USERNAME": "afterguard",
                              "AFTERGUARD_SCHEMA_REGISTRY_PASSWORD_FILE": str(password)})
    registry = settings.schema_registry
    assert registry.url == "https://registry:8081"
    assert registry.credentials() == ("afterguard", "s3cret-registry-pass")
    assert "s3cret" not in repr(settings)
    assert not registry.sends_credentials_in_clear()


@pytest.mark.parametrize(("env", "says"), [
    ({"AFTERGUARD_SCHEMA_REGISTRY_URL": "https://u:p@registry"}, "must not hold credentials"),
    ({"AFTERGUARD_SCHEMA_REGISTRY_URL": "registry:8081"}, "AFTERGUARD_SCHEMA_REGISTRY_URL"),
    ({"AFTERGUARD_SCHEMA_REGISTRY_URL": "https://registry",
      "AFTERGUARD_SCHEMA_REGISTRY_USERNAME": "afterguard"}, "go together"),
    ({"AFTERGUARD_SCHEMA_REGISTRY_URL": "https://registry",
      "AFTERGUARD_SCHEMA_REGISTRY_CA_FILE": "/nonexistent/ca.pem"},
     "AFTERGUARD_SCHEMA_REGISTRY_CA_FILE"),
])
def test_bad_settings_stop_the_worker_naming_the_variable(env: dict[str, str],
                                                          says: str) -> None:
    with pytest.raises(ConfigError, match=says) as raised:
        load_settings(env)
    assert "u:p" not in str(raised.value)


def test_basic_auth_over_plain_http_to_another_host_is_flagged() -> None:
    registry = load_settings({"AFTERGUARD_SCHEMA_REGISTRY_URL": "http://registry:8081",
                              "AFTERGUARD_SCHEMA_REGISTRY_USERNAME": "afterguard",
                              "AFTERGUARD_SCHEMA_REGISTRY_PASSWORD": "pw"}).schema_registry
    assert registry.sends_credentials_in_clear()
