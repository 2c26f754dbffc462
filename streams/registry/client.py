"""Fetching a schema by id from a Confluent-compatible registry: `GET {url}/schemas/ids/{id}`,
with basic auth and the registry's CA. The registry's word on an id is final (a schema or
"not found"); anything else (refused connection, timeout, 5xx, 401/403) means the registry
cannot answer now, and the caller retries."""

from __future__ import annotations

import aiohttp

from streams.registry.schemas import MAX_SCHEMA_BYTES, RegistrySchema, UnknownSchema, parse_response
from streams.registry.settings import RegistrySettings

ACCEPT = "application/vnd.schemaregistry.v1+json, application/json"


class RegistryUnavailable(RuntimeError):
    """The registry did not answer about a schema id; the message names no secret."""


class RegistryClient:
    def __init__(self, settings: RegistrySettings) -> None:
        assert settings.url is not None
        self.settings = settings
        self.url: str = settings.url
        self._session: aiohttp.ClientSession | None = None

    async def schema(self, schema_id: int) -> RegistrySchema | UnknownSchema:
        session = self._session or self._open()
        credentials = self.settings.credentials()
        auth = aiohttp.BasicAuth(*credentials) if credentials else None
        where = f"{self.url}/schemas/ids/{schema_id}"
        try:
            async with session.get(where, auth=auth, headers={"Accept": ACCEPT},
                                   ssl=self.settings.ssl_context() or True) as response:
                body = await response.content.read(MAX_SCHEMA_BYTES + 1)
                status = response.status
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise RegistryUnavailable(f"the schema registry at {self.url} did not answer for "
                                      f"schema id {schema_id} ({type(exc).__name__}: "
                                      f"{exc})") from None
        if status == 404:
            return UnknownSchema(schema_id)
        if status != 200:
            hint = (" (check AFTERGUARD_SCHEMA_REGISTRY_USERNAME and _PASSWORD_FILE)"
                    if status in (401, 403) else "")
            raise RegistryUnavailable(f"the schema registry at {self.url} answered HTTP {status} "
                                      f"for schema id {schema_id}{hint}")
        return parse_response(schema_id, body)

    def _open(self) -> aiohttp.ClientSession:
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.settings.timeout_s))
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
