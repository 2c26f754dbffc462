"""Slow and many clients on the review API and the console (the real service): a connection
that trickles its headers or never finishes its body is closed after the client timeout, and
connections past the cap are refused at once while the service keeps serving."""

from __future__ import annotations

import select
import socket
import time
from pathlib import Path

import pytest

from streams.config import Topics
from streams.review.client import ReviewApiError
from tests.review_service import ServiceFactory, free_port, write_policy

pytestmark = pytest.mark.integration
HELD_FOR_S = 30  # a connection still open after this long is held for good (timeout: 1 s)


def closed_while_trickling(port: int, start: bytes, byte: bytes = b"a") -> bool:
    """Send `start`, then one byte every 0.3 s: True once the server closes (or answers)."""
    with socket.create_connection(("127.0.0.1", port), timeout=HELD_FOR_S) as conn:
        conn.sendall(start)
        deadline = time.monotonic() + HELD_FOR_S
        while time.monotonic() < deadline:
            readable, _, _ = select.select([conn], [], [], 0.3)
            if readable:
                return True  # an answer (408) or the end of the connection
            try:
                conn.sendall(byte)
            except OSError:  # reset by the server
                return True
    return False


def slow_headers(port: int) -> bytes:
    return f"GET /review/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ".encode()


def unfinished_body(port: int, token: str) -> bytes:
    return (f"POST /review/pull HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: 100000\r\n\r\n{{\"group\": ").encode()


def test_a_client_that_trickles_headers_or_body_is_cut_off(
        topics: Topics, start_review: ServiceFactory, tmp_path: Path) -> None:
    """Attack (slowloris): headers one byte at a time, or a body announced and never sent,
    held a connection and its task on the API and the console for good; thousands of them
    exhaust the service. Now each is closed after AFTERGUARD_REVIEW_CLIENT_TIMEOUT_S."""
    console = free_port()
    service = start_review(topics, write_policy(tmp_path),
                           AFTERGUARD_REVIEW_CONSOLE_PORT=str(console),
                           AFTERGUARD_REVIEW_CLIENT_TIMEOUT_S="1")
    api = int(service.client.url.rsplit(":", 1)[1])
    token = service.client.token("ann", ["ops-review"])
    for port in (api, console):
        assert closed_while_trickling(port, slow_headers(port)), \
            f"port {port} kept a connection trickling its headers open"
        assert closed_while_trickling(port, unfinished_body(port, token), b" "), \
            f"port {port} waited for a body that never came"
    assert service.client.health()["ok"], "the service serves on"


def test_connections_past_the_cap_are_refused_and_the_service_serves_on(
        topics: Topics, start_review: ServiceFactory, tmp_path: Path) -> None:
    """Attack: many idle connections (each within the timeout) pile up without bound, and with
    them the service's file descriptors, which its Kafka clients need too. Now connections
    past AFTERGUARD_REVIEW_MAX_CONNECTIONS per port are answered 503 and closed at once."""
    service = start_review(topics, write_policy(tmp_path),
                           AFTERGUARD_REVIEW_MAX_CONNECTIONS="4",
                           AFTERGUARD_REVIEW_CLIENT_TIMEOUT_S="60")
    api = int(service.client.url.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", api), timeout=30) for _ in range(4)]
    try:
        time.sleep(1)  # the service has accepted them
        with pytest.raises(ReviewApiError) as refused:
            service.client.health()
        assert refused.value.status == 503, refused.value
    finally:
        for conn in idle:
            conn.close()
    deadline = time.monotonic() + 30
    while True:  # the closed ones no longer count
        try:
            assert service.client.health()["ok"]
            break
        except ReviewApiError:
            assert time.monotonic() < deadline, "the service did not serve again"
            time.sleep(0.3)


def never_reading(port: int, path: str) -> socket.socket:
    """A connection that asks for `path` 500 times at once (pipelined) and reads nothing."""
    conn = socket.socket()
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    conn.connect(("127.0.0.1", port))
    conn.setblocking(False)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    for _ in range(500):
        try:
            conn.send(request)
        except (BlockingIOError, OSError):
            break
    return conn


def served_again(port: int) -> bool:
    """A plain request to the port is answered (not 503) within HELD_FOR_S."""
    deadline = time.monotonic() + HELD_FOR_S
    while time.monotonic() < deadline:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(f"GET /review/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                         "Connection: close\r\n\r\n".encode())
            if not conn.recv(64).startswith(b"HTTP/1.1 503"):
                return True
        time.sleep(0.5)
    return False


def test_clients_that_never_read_their_answers_are_cut_off(
        topics: Topics, start_review: ServiceFactory, tmp_path: Path) -> None:
    """Attack: ask for the console's script (or the API's health) hundreds of times at once
    and read none of the answers. Once the socket's buffers were full the answer waited for
    ever, holding a connection slot: as many such clients as the cap allows (256) and no one
    else was served. Now a client that reads nothing for the client timeout is cut off."""
    console = free_port()
    service = start_review(topics, write_policy(tmp_path),
                           AFTERGUARD_REVIEW_CONSOLE_PORT=str(console),
                           AFTERGUARD_REVIEW_MAX_CONNECTIONS="2",
                           AFTERGUARD_REVIEW_CLIENT_TIMEOUT_S="1")
    api = int(service.client.url.rsplit(":", 1)[1])
    for port, path in ((console, "/console/console.js"), (api, "/review/health")):
        stuck = [never_reading(port, path) for _ in range(2)]
        try:
            assert served_again(port), f"port {port}: clients that never read held it full"
        finally:
            for conn in stuck:
                conn.close()
    assert "read none of its answers" in service.process.log_text()
