"""The console serves its own assets and nothing else of the file system: requests that climb
out of the static folder (`..`, percent-encoded or with backslashes), absolute paths, and a
symlink placed in the folder all get 404, over a real HTTP connection that sends the path
exactly as written (a client library would normalise it first)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from aiohttp import web

from streams.review.api import ReviewApi
from streams.review.auth.authenticator import Authenticator
from streams.review.auth.settings import load_auth_settings
from streams.review.committer import Committer
from streams.review.console import server as console_server
from streams.review.publisher import Publisher
from tests.unit.review.conftest import T0, make_queue

HOST = "127.0.0.1"
PACKAGE = Path(str(resources.files("streams.review.console")))
# Text only a file outside the static folder holds: found in a reply, it was served.
SECRET = "afterguard-console-asset-test-secret"

CLIMBS = [
    "/console/../server.py",
    "/console/..%2fserver.py",
    "/console/..%2Fserver.py",
    "/console/%2e%2e/server.py",
    "/console/%2e%2e%2fserver.py",
    "/console/%2E%2E%2F%2E%2E%2Fapi.py",
    "/console/..%5cserver.py",
    "/console/..\\server.py",
    "/console/%252e%252e%252fserver.py",
    "/console/static/../../api.py",
    "/console/static%2f..%2f..%2fapi.py",
    "/console/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/console/%2fetc%2fpasswd",
    "/console//etc/passwd",
    "//etc/passwd",
    "/console/C:%5cWindows%5cwin.ini",
    "/console/console.js%00.py",
    "/console/server.py",
    "/console/__init__.py",
    "/console/index.html/../../server.py",
    "/console/outside.txt",
    "/console/linked.js",
    "/console/linked-dir/outside.txt",
    "/console/%2e%2e/outside.txt",
]


class NoKafka:
    """The asset routes never reach the committer's publisher."""


@pytest.fixture
def package_with_outside_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the console package whose static folder also holds symlinks to a file and a
    folder outside it, with a secret file beside the folder (where `..` leads)."""
    copy = tmp_path / "console"
    for name in ("server.py", "__init__.py"):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_text((PACKAGE / name).read_text() + f"\n# {SECRET}\n")
    (copy / "api.py").write_text(f"# {SECRET}\n")
    static = copy / "static"
    static.mkdir()
    for asset in (PACKAGE / "static").iterdir():
        (static / asset.name).write_bytes(asset.read_bytes())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "outside.txt").write_text(SECRET)
    (static / "linked.js").symlink_to(outside / "outside.txt")
    (static / "linked-dir").symlink_to(outside)
    monkeypatch.setattr(console_server, "resources", SimpleNamespace(files=lambda _: copy))
    return copy


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """The status and body of `GET target`, the target sent byte for byte."""
    with socket.create_connection((HOST, port), timeout=10) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
                     "Connection: close\r\n\r\n".encode())
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@pytest.fixture
def console(tmp_path: Path, package_with_outside_files: Path) -> Iterator[int]:
    """The console's HTTP server on a free port (its API has a queue but no Kafka)."""
    settings = load_auth_settings(HOST, 6067, {
        "AFTERGUARD_REVIEW_TOKENS_FILE": str(tmp_path / "tokens.json"),
        "AFTERGUARD_REVIEW_ALLOWED_HOSTS": "127.0.0.1"})
    queue = make_queue()
    api = ReviewApi(queue, Committer(queue, cast(Publisher, NoKafka())),
                    Authenticator(settings), lambda: True, lambda: T0)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(console_server.console_app(api))
    loop.run_until_complete(runner.setup())
    listening = socket.socket()
    listening.bind((HOST, 0))
    loop.run_until_complete(web.SockSite(runner, listening).start())
    port = listening.getsockname()[1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def test_the_consoles_own_assets_are_served(console: int) -> None:
    for name in ("console.js", "console.css"):
        status, body = raw_get(console, f"/console/{name}")
        assert status == 200 and body == (PACKAGE / "static" / name).read_bytes()


@pytest.mark.parametrize("target", CLIMBS)
def test_nothing_outside_the_consoles_assets_is_served(console: int, target: str) -> None:
    status, body = raw_get(console, target)
    assert status in (400, 404), (status, body[:200])
    assert SECRET.encode() not in body
    assert b"root:" not in body and b"[fonts]" not in body
