"""Where the schema registry is and how to sign in (AFTERGUARD_SCHEMA_REGISTRY_* settings)."""

from __future__ import annotations

import ssl
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class RegistrySettings(BaseModel):
    """A Confluent-compatible schema registry: its base URL (for Apicurio, the compatible API's
    base, e.g. http://host:8080/apis/ccompat/v7), basic auth, and the CA of its certificate."""

    model_config = ConfigDict(frozen=True)

    url: str | None = None
    username: str | None = None
    password: SecretStr | None = None
    password_file: Path | None = None
    ca_file: Path | None = None
    timeout_s: float = Field(default=10.0, gt=0, le=300)
    # how long a schema id the registry does not know stays unknown before it is asked again
    unknown_ttl_s: float = Field(default=60.0, ge=0, le=86_400)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http:// or https:// URL")
        if parts.username or parts.password:
            raise ValueError("must not hold credentials: set AFTERGUARD_SCHEMA_REGISTRY_USERNAME "
                             "and AFTERGUARD_SCHEMA_REGISTRY_PASSWORD_FILE")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _consistent(self) -> RegistrySettings:
        if self.password is not None and self.password_file is not None:
            raise ValueError("AFTERGUARD_SCHEMA_REGISTRY_PASSWORD and "
                             "AFTERGUARD_SCHEMA_REGISTRY_PASSWORD_FILE are both set: give one")
        if (self.password is not None or self.password_file is not None) != (
                self.username is not None):
            raise ValueError("AFTERGUARD_SCHEMA_REGISTRY_USERNAME and a password "
                             "(AFTERGUARD_SCHEMA_REGISTRY_PASSWORD_FILE) go together")
        if self.ca_file is not None and not self.ca_file.is_file():
            raise ValueError(f"AFTERGUARD_SCHEMA_REGISTRY_CA_FILE: {self.ca_file} does not exist")
        if self.password_file is not None and not self.password_file.is_file():
            raise ValueError(f"AFTERGUARD_SCHEMA_REGISTRY_PASSWORD_FILE: {self.password_file} "
                             "does not exist")
        return self

    @property
    def enabled(self) -> bool:
        return self.url is not None

    def credentials(self) -> tuple[str, str] | None:
        """(username, password), read from the file each time it is asked (rotation)."""
        if self.username is None:
            return None
        if self.password_file is not None:
            secret = self.password_file.read_text().strip()
            if not secret:
                raise ValueError(f"AFTERGUARD_SCHEMA_REGISTRY_PASSWORD_FILE: "
                                 f"{self.password_file} is empty")
            return self.username, secret
        assert self.password is not None  # _consistent
        return self.username, self.password.get_secret_value()

    def ssl_context(self) -> ssl.SSLContext | None:
        """For an https URL: the system's trust store, or the CA file's."""
        if self.url is None or not self.url.startswith("https://"):
            return None
        return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)

    def sends_credentials_in_clear(self) -> bool:
        """Basic auth over plain http to another host: a warning at start."""
        if self.url is None or self.username is None or self.url.startswith("https://"):
            return False
        return urlsplit(self.url).hostname not in LOOPBACK
