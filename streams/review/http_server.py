"""The review service's HTTP servers (the API's port and the console's), with bounds on what a
client may hold: aiohttp on the service's event loop, as faust's web server was, and more.

- A connection that has not sent a complete request within `client_timeout_s` of opening (or
  of its last answer) is closed: trickled headers (slowloris) or an idle keep-alive connection
  hold nothing for longer. A body is read within the same time (the API's `posted` handlers,
  408 otherwise).
- At most `max_connections` are open per port; one past it is answered 503 and closed at once,
  so idle clients cannot exhaust the process's file descriptors (its Kafka clients need them).
- A connection whose client reads nothing of what it is sent for `client_timeout_s` (its
  answers pile up until the socket's buffers are full) is cut off: a client that sent many
  requests at once (pipelined) and read none of the answers held its slot for good.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import web

from streams.config import ConfigError

log = logging.getLogger(__name__)

CLIENT_TIMEOUT_S = 10.0  # as the metrics server's (streams/metrics/server.py)
MAX_CONNECTIONS = 256
REFUSED = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
           b"Connection: close\r\nContent-Length: 60\r\n\r\n"
           b'{"error": "too many connections to the review service now"}\n')
LOG_REFUSALS_EVERY_S = 60.0


@dataclass(frozen=True)
class HttpLimits:
    client_timeout_s: float = CLIENT_TIMEOUT_S
    max_connections: int = MAX_CONNECTIONS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> HttpLimits:
        """AFTERGUARD_REVIEW_CLIENT_TIMEOUT_S and AFTERGUARD_REVIEW_MAX_CONNECTIONS."""
        env = os.environ if environ is None else environ
        timeout = _number(env, "AFTERGUARD_REVIEW_CLIENT_TIMEOUT_S", CLIENT_TIMEOUT_S, 0.1, 3600)
        most = _number(env, "AFTERGUARD_REVIEW_MAX_CONNECTIONS", MAX_CONNECTIONS, 1, 100_000)
        return cls(timeout, int(most))


def _number(env: Mapping[str, str], name: str, default: float, low: float,
            high: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise ConfigError(f"{name}: {text!r} is not a number from {low:g} to {high:g}")
    return value


class _Counted(asyncio.Protocol):
    """One connection: handed to aiohttp's handler unless the port is at its cap."""

    def __init__(self, gate: _ConnectionGate) -> None:
        self.gate = gate
        self.inner: asyncio.Protocol | None = None
        self.transport: asyncio.BaseTransport | None = None
        self.stalled: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self.gate.open >= self.gate.limits.max_connections:
            self.gate.refused(transport)
            return
        self.gate.open += 1
        self.transport = transport
        self.inner = self.gate.server()
        self.inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self._unstall()
        if self.inner is not None:
            self.gate.open -= 1
            self.inner.connection_lost(exc)
            self.inner = None

    def data_received(self, data: bytes) -> None:
        if self.inner is not None:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.inner is not None else None

    def pause_writing(self) -> None:
        """The client reads no more of what it is sent: cut off after the client timeout (a
        client that asks for answers and never reads them held its connection for good)."""
        if self.inner is not None:
            self.inner.pause_writing()
            if self.stalled is None:
                self.stalled = asyncio.get_running_loop().call_later(
                    self.gate.limits.client_timeout_s, self._cut_off)

    def resume_writing(self) -> None:
        self._unstall()
        if self.inner is not None:
            self.inner.resume_writing()

    def _unstall(self) -> None:
        if self.stalled is not None:
            self.stalled.cancel()
            self.stalled = None

    def _cut_off(self) -> None:
        self.stalled = None
        if isinstance(self.transport, asyncio.WriteTransport):
            self.gate.stalled()
            self.transport.abort()  # connection_lost follows: the slot is free again


class _ConnectionGate:
    def __init__(self, server: web.Server, limits: HttpLimits, name: str) -> None:
        self.server, self.limits, self.name = server, limits, name
        self.open = 0
        self.refusals = self.cut_off = 0
        self._logged_at = self._stall_logged_at = -LOG_REFUSALS_EVERY_S

    def stalled(self) -> None:
        self.cut_off += 1
        now = time.monotonic()
        if now - self._stall_logged_at >= LOG_REFUSALS_EVERY_S:
            self._stall_logged_at = now
            log.warning("the review %s closed a connection whose client read none of its "
                        "answers for AFTERGUARD_REVIEW_CLIENT_TIMEOUT_S (%g s; %d so far)",
                        self.name, self.limits.client_timeout_s, self.cut_off)

    def refused(self, transport: asyncio.BaseTransport) -> None:
        self.refusals += 1
        if isinstance(transport, asyncio.WriteTransport):
            transport.write(REFUSED)
        transport.close()
        now = time.monotonic()
        if now - self._logged_at >= LOG_REFUSALS_EVERY_S:
            self._logged_at = now
            log.warning("the review %s refused a connection: %d are open, the most "
                        "AFTERGUARD_REVIEW_MAX_CONNECTIONS allows (%d refused so far)",
                        self.name, self.open, self.refusals)


class BoundedHttpServer:
    """`app` served on host:port under `limits` (`name` says which port in the log)."""

    def __init__(self, app: web.Application, host: str, port: int,
                 ssl_context: ssl.SSLContext | None, limits: HttpLimits, name: str) -> None:
        # keepalive_timeout: aiohttp closes a connection still waiting for a complete request
        # this long after it opened or after its last answer (web_protocol._process_keepalive)
        self.runner = web.AppRunner(app, access_log=None,
                                    keepalive_timeout=limits.client_timeout_s)
        self.host, self.port, self.ssl_context = host, port, ssl_context
        self.limits, self.name = limits, name
        self._listening: asyncio.Server | None = None

    async def start(self) -> None:
        """Listen (raises OSError when the port is taken)."""
        await self.runner.setup()
        server = self.runner.server
        assert server is not None
        gate = _ConnectionGate(server, self.limits, self.name)
        loop = asyncio.get_running_loop()
        self._listening = await loop.create_server(
            lambda: _Counted(gate), self.host, self.port, ssl=self.ssl_context,
            # a TLS handshake never finished is not yet a connection: bounded the same
            ssl_handshake_timeout=self.limits.client_timeout_s if self.ssl_context else None,
            reuse_address=True)

    async def stop(self) -> None:
        if self._listening is not None:
            self._listening.close()
            self._listening = None
        await self.runner.cleanup()

