"""A stand-in schema registry for the tests: a real HTTP server on 127.0.0.1 (TLS with a CA of
its own, basic auth) that answers `GET /schemas/ids/{id}` with response bodies in the form
Confluent's Schema Registry API reference documents (Apicurio's compatible API answers the
same). No registry server could be installed here (docs/schema-registry.md, "Tests"), so the
worker's client is tested against this one.

It can be taken down (every request answered 503) and brought back, to test an outage.
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from streams.broker.certificates import make_certificates


class StandInRegistry:
    def __init__(self, certificates_dir: Path, username: str, password: str) -> None:
        self.schemas: dict[int, dict[str, Any]] = {}
        self.down = False
        self.requests: list[str] = []
        self.username, self.password = username, password
        self.certificates = make_certificates(certificates_dir)
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                registry.requests.append(self.path)
                expected = base64.b64encode(f"{registry.username}:{registry.password}"
                                            .encode()).decode()
                if registry.down:
                    return self._answer(503, {"error_code": 50003,
                                              "message": "Error in the backend data store"})
                if self.headers.get("Authorization") != f"Basic {expected}":
                    return self._answer(401, {"error_code": 401, "message": "Unauthorized"})
                prefix = "/schemas/ids/"
                if not self.path.startswith(prefix) or not self.path[len(prefix):].isdigit():
                    return self._answer(404, {"error_code": 404, "message": "HTTP 404 Not Found"})
                schema_id = int(self.path[len(prefix):])
                if schema_id not in registry.schemas:
                    return self._answer(404, {"error_code": 40403,
                                              "message": f"Schema {schema_id} not found"})
                return self._answer(200, registry.schemas[schema_id])

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificates.broker_cert, self.certificates.broker_key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"https://localhost:{self.server.server_address[1]}"

    def register(self, schema_id: int, schema: Any, schema_type: str | None = None) -> None:
        """As Confluent answers: `schema` as a string; `schemaType` absent for Avro."""
        body: dict[str, Any] = {"schema": schema if isinstance(schema, str)
                                else json.dumps(schema)}
        if schema_type is not None:
            body["schemaType"] = schema_type
        self.schemas[schema_id] = body

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def schema_registry(tmp_path: Path) -> Iterator[StandInRegistry]:
    registry = StandInRegistry(tmp_path / "registry-tls", "afterguard", "s3cret-registry-pass")
    registry.thread.start()
    try:
        yield registry
    finally:
        registry.stop()
