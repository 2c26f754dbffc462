"""`/metrics`, `/livez` and `/readyz` of one service, served from a thread of their own.

The server answers even while the service's event loop is blocked, which is what lets
`/livez` say so. It serves GET only, nothing but these three paths, and logs no request.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

from streams.config import Settings
from streams.metrics.health import Health, beat_event_loop

log = logging.getLogger(__name__)

# Each service's port when AFTERGUARD_METRICS_PORT is not set (one machine can run them all).
# A connection is closed this many seconds after it was accepted, whatever it sends meanwhile
# (the only timeout: it also ends a read or write blocked on the client): each holds a thread,
# so idle or trickling clients could otherwise pile threads up in the service. At most
# MAX_CONNECTIONS are open at once and MAX_CONNECTIONS_PER_CLIENT from one address (an IPv6
# address counts per /64 network). A new connection from an address holding the most is closed
# at once, without a thread; when the server is full, a new one from an address holding fewer
# takes the place of the oldest connection of an address holding the most. So clients with
# many addresses take turns among themselves, and a scraper holding one connection keeps its
# place unless every one of MAX_CONNECTIONS connections comes from an address of its own.
CLIENT_TIMEOUT_S = 10.0
MAX_CONNECTIONS = 64
MAX_CONNECTIONS_PER_CLIENT = 8
DEFAULT_PORTS = {"worker": 9470, "review": 9471, "autonomy": 9472, "audit-sink": 9473,
                 "audit-checkpoint": 9474}


def new_registry() -> CollectorRegistry:
    """A registry of one service's own metrics, with the process's (CPU, memory, GC)."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    return registry


class MetricsServer:
    def __init__(self, registry: CollectorRegistry, health: Health, host: str,
                 port: int) -> None:
        self.registry, self.health = registry, health
        self.host, self.port = host, port
        self._server: _BoundedServer | None = None

    def start(self) -> int:
        """Listen (raises OSError when the port is taken); the port bound."""
        server = _BoundedServer((self.host, self.port), _handler(self))
        self._server = server
        threading.Thread(target=server.serve_forever, name="afterguard-metrics",
                         daemon=True).start()
        threading.Thread(target=server.close_overdue, name="afterguard-metrics-deadlines",
                         daemon=True).start()
        self.port = server.server_address[1]
        return self.port

    def stop(self) -> None:
        if self._server is not None:
            self._server.stopped.set()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def respond(self, path: str) -> tuple[int, str, bytes]:
        if path == "/metrics":
            return 200, CONTENT_TYPE_LATEST, generate_latest(self.registry)
        if path == "/livez":
            live, detail = self.health.live()
            return _json(200 if live else 503, {"live": live, **detail})
        if path == "/readyz":
            ready, conditions = self.health.ready()
            return _json(200 if ready else 503, {"ready": ready, "conditions": conditions})
        return _json(404, {"error": "not found: /metrics, /livez and /readyz are served"})


class _BoundedServer(ThreadingHTTPServer):
    """A thread per connection, with the connections bounded in number and in time."""

    daemon_threads = True
    # connections waiting to be accepted: past socketserver's 5 a burst of connections made the
    # kernel drop the next ones' SYNs, a scraper's too, each retried a second later
    request_queue_size = 128

    def __init__(self, address: tuple[str, int],
                 handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._open: dict[Any, tuple[float, str]] = {}  # connection -> (deadline, client)
        self._closing: set[Any] = set()  # taken over: shut down, its thread not yet ended

    def process_request(self, request: Any, client_address: Any) -> None:
        client = client_key(str(client_address[0]))
        with self._lock:
            admitted, evicted = self._admit(client)
            if admitted:
                self._open[request] = (time.monotonic() + CLIENT_TIMEOUT_S, client)
            if evicted is not None:
                del self._open[evicted]
                self._closing.add(evicted)
        if evicted is not None:
            _cut(evicted)  # its thread reads the end and closes it (shutdown_request)
        if not admitted:
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def _admit(self, client: str) -> tuple[bool, Any]:
        """(whether a new connection from `client` is served, the connection it takes the
        place of, if any). Called with the lock held."""
        held: dict[str, list[Any]] = {}
        for conn, (_, other) in self._open.items():  # oldest first
            held.setdefault(other, []).append(conn)
        mine = len(held.get(client, ()))
        if mine >= MAX_CONNECTIONS_PER_CLIENT:
            return False, None
        if len(self._open) < MAX_CONNECTIONS:
            return True, None
        most = max(len(conns) for conns in held.values())
        if most <= mine or len(self._closing) >= MAX_CONNECTIONS:
            return False, None
        oldest = min((conns[0] for conns in held.values() if len(conns) == most),
                     key=lambda conn: self._open[conn][0])
        return True, oldest

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            self._open.pop(request, None)
            self._closing.discard(request)
        super().shutdown_request(request)

    def close_overdue(self) -> None:
        """Cut off connections past their deadline (a blocked read or write then ends), until
        the server stops."""
        while not self.stopped.wait(0.2):
            now = time.monotonic()
            with self._lock:
                overdue = [conn for conn, (deadline, _) in self._open.items() if deadline <= now]
            for conn in overdue:
                _cut(conn)


def client_key(host: str) -> str:
    """The address connections are counted against: an IPv6 address's /64 network (one host
    is usually given a whole /64), an IPv4 address (or an IPv4-mapped one) as it is."""
    try:
        address = ipaddress.ip_address(host.partition("%")[0])
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _cut(conn: Any) -> None:
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # closed meanwhile


def _json(status: int, body: dict[str, Any]) -> tuple[int, str, bytes]:
    return status, "application/json", (json.dumps(body) + "\n").encode()


def _handler(server: MetricsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            try:
                status, content_type, body = server.respond(self.path.split("?", 1)[0])
            except Exception as exc:  # noqa: BLE001 - a scrape must not kill the server
                log.error("serving %s failed (%s)", self.path[:64], type(exc).__name__)
                status, content_type, body = 500, "text/plain", b"internal error\n"
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # scrapes every few seconds would flood the service's log

    return Handler


def serve_metrics(settings: Settings, service: str, registry: CollectorRegistry,
                  health: Health) -> MetricsServer | None:
    """Start the service's metrics server, or None when disabled or the port is taken (the
    service runs on without it: a metrics port never stops the gate)."""
    if not settings.metrics_enabled:
        return None
    health.register(registry)
    port = settings.metrics_port if settings.metrics_port is not None else DEFAULT_PORTS[service]
    server = MetricsServer(registry, health, settings.metrics_host, port)
    try:
        bound = server.start()
    except OSError as exc:
        log.error("AFTERGUARD_METRICS_HOST/AFTERGUARD_METRICS_PORT: cannot listen on %s:%d (%s); "
                  "the %s runs without its metrics and health endpoints", settings.metrics_host,
                  port, exc.strerror, service)
        return None
    log.info("metrics on http://%s:%d/metrics, health on /livez and /readyz",
             settings.metrics_host, bound)
    return server


async def serve_until_cancelled(settings: Settings, service: str, registry: CollectorRegistry,
                                health: Health,
                                update: Callable[[], object] | None = None) -> None:
    """Serve the endpoints and beat for the event loop (with `update` each second) until the
    task running this is cancelled."""
    server = serve_metrics(settings, service, registry, health)
    try:
        await beat_event_loop(health, 1.0, update)
    finally:
        if server is not None:
            server.stop()
