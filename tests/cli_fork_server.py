"""`python -m streams.cli ...` children without paying for the imports each time.

Most of the integration suite's CPU went to starting Python processes: every worker, review
service, scorer and CLI call imported spaCy, presidio and the detectors again (~2.5 s of CPU
each). This module starts one server process per test session that imports `streams.cli` (and
the detection engine and the worker, which the CLI loads only when a command needs them) once
and forks a child for each command. The child is a real process of its own: it gets the
command's arguments, environment, working directory and standard streams, then runs
`streams.cli` as `__main__` exactly as `python -m streams.cli` does and exits as Python does
(its exit code, or minus the signal that killed it). Only the imports are shared.

`ForkedProcess` is what tests hold instead of a `subprocess.Popen`: `pid`, `returncode`,
`poll()`, `wait()`, `send_signal()`, `kill()`, `terminate()` and `communicate()` behave alike.
`popen` starts `[sys.executable, "-m", "streams.cli", ...]` through the server and anything else
with `subprocess.Popen`."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import types
from collections.abc import Mapping, Sequence
from typing import IO, Any

CLI = "streams.cli"
_MAX_MESSAGE = 1 << 20


# ---- the server (its own process) ---------------------------------------------------------

def _serve(control: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """Fork a child per request; report exit statuses. Returns only in a child."""
    statuses: dict[int, int] = {}
    while True:
        readable, _, _ = select.select([control], [], [], 0.05)
        while True:  # reap every child that has exited
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            statuses[pid] = os.waitstatus_to_exitcode(status)
        if not readable:
            continue
        message, fds, _, _ = socket.recv_fds(control, _MAX_MESSAGE, 3)
        if not message:  # the test session is gone
            os._exit(0)
        request = json.loads(message)
        if request["op"] == "spawn":
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                control.close()
                return request, fds
            for fd in fds:
                os.close(fd)
            control.send(json.dumps({"pid": pid}).encode())
        elif request["op"] == "poll":
            control.send(json.dumps({"returncode": statuses.get(request["pid"])}).encode())


def _become(request: dict[str, Any], fds: list[int]) -> None:
    """In the child: take the command's streams, environment, directory and arguments."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in set(fds):
        if fd > 2:
            os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = [request["argv0"], *request["args"]]


def _exit_code(exit: SystemExit) -> int:
    """What Python exits with for an uncaught SystemExit."""
    if exit.code is None:
        return 0
    if isinstance(exit.code, int):
        return exit.code
    print(exit.code, file=sys.stderr)
    return 1


def _run_as_main() -> int:
    import runpy
    import traceback

    try:
        runpy.run_module(CLI, run_name="__main__", alter_sys=True)
    except SystemExit as exit:
        return _exit_code(exit)
    except KeyboardInterrupt:
        traceback.print_exc()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        return 1
    except BaseException:  # noqa: BLE001 - printed and exit 1, as Python does
        traceback.print_exc()
        return 1
    return 0


def _server_main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    import atexit
    import gc

    import detectors.engine  # noqa: F401 - spaCy and presidio: `streams.cli` leaves them
    import streams.cli  # the imports every child shares
    import streams.worker.app  # noqa: F401 - loaded by `afterguard worker` only

    # ... but not the module itself: `python -m` runs it once, as __main__
    del sys.modules[CLI]
    delattr(sys.modules["streams"], "cli")
    gc.freeze()  # the shared objects stay shared (no collector writes to their pages)

    request, fds = _serve(control)
    _become(request, fds)
    code = _run_as_main()
    # Python's own exit, up to freeing the modules' objects (which would copy every page
    # shared with the server, about a second per child): threads joined, exit handlers
    # run (logging's flush among them), streams flushed.
    threading._shutdown()  # type: ignore[attr-defined]
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


# ---- the client (the test session) ------------------------------------------------------

class ForkServer:
    """The server process and the socket to it; one request at a time."""

    def __init__(self, log_path: str = os.devnull) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._socket, self._lock = ours, threading.Lock()
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.cli_fork_server", str(theirs.fileno())],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, cwd=os.path.dirname(os.path.dirname(__file__)))
        theirs.close()
        self.argv0 = _module_file()

    def _ask(self, request: dict[str, Any], fds: Sequence[int] = ()) -> dict[str, Any]:
        with self._lock:
            if self.process.poll() is not None:
                raise RuntimeError(f"the fork server exited with {self.process.returncode}")
            socket.send_fds(self._socket, [json.dumps(request).encode()], list(fds))
            reply = self._socket.recv(_MAX_MESSAGE)
        if not reply:
            raise RuntimeError("the fork server closed its socket")
        result: dict[str, Any] = json.loads(reply)
        return result

    def spawn(self, args: Sequence[str], env: Mapping[str, str], cwd: str,
              fds: tuple[int, int, int]) -> int:
        reply = self._ask({"op": "spawn", "args": list(args), "env": dict(env), "cwd": cwd,
                           "argv0": self.argv0}, fds)
        return int(reply["pid"])

    def returncode(self, pid: int) -> int | None:
        code = self._ask({"op": "poll", "pid": pid})["returncode"]
        return None if code is None else int(code)

    def close(self) -> None:
        self._socket.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _module_file() -> str:
    """What `sys.argv[0]` is under `python -m streams.cli`: the module's file."""
    import importlib.util

    spec = importlib.util.find_spec(CLI)
    assert spec is not None and spec.origin is not None
    return spec.origin


_server: ForkServer | None = None
log_path = os.devnull  # where the server itself writes (its children have their own streams)


def server() -> ForkServer:
    """The session's server, started on first use."""
    global _server
    if _server is None or _server.process.poll() is not None:
        _server = ForkServer(log_path)
    return _server


def stop_server() -> None:
    global _server
    if _server is not None:
        _server.close()
        _server = None


Stream = int | IO[Any] | None


class ForkedProcess:
    """A `subprocess.Popen` look-alike for a child of the fork server."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str] | None = None,
                 cwd: str | os.PathLike[str] | None = None, stdin: Stream = None,
                 stdout: Stream = None, stderr: Stream = None, text: bool = False) -> None:
        self.args = list(args)
        self.returncode: int | None = None
        self.stdout: IO[Any] | None = None
        self.stderr: IO[Any] | None = None
        self.stdin = None
        opened: list[int] = []  # our ends of pipes and /dev/null, closed once sent

        def fd_for(stream: Stream, target: int) -> int:
            if stream is None:
                return target
            if stream == subprocess.DEVNULL:
                fd = os.open(os.devnull, os.O_RDWR)
                opened.append(fd)
                return fd
            if stream == subprocess.PIPE:
                read, write = os.pipe()
                opened.append(write)
                pipe = os.fdopen(read, "r" if text else "rb")
                if target == 1:
                    self.stdout = pipe
                else:
                    self.stderr = pipe
                return write
            if isinstance(stream, int):
                return stream
            return stream.fileno()

        in_fd = fd_for(stdin, 0)
        out_fd = fd_for(stdout, 1)
        err_fd = out_fd if stderr == subprocess.STDOUT else fd_for(stderr, 2)
        try:
            self.pid = server().spawn(args[3:], os.environ if env is None else env,
                                      os.fspath(cwd) if cwd is not None else os.getcwd(),
                                      (in_fd, out_fd, err_fd))
        finally:
            for fd in opened:
                os.close(fd)

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = server().returncode(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout or 0.0)
            time.sleep(0.02)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def communicate(self, timeout: float | None = None) -> tuple[Any, Any]:
        """Read the piped streams to their end, then wait (as `Popen.communicate`)."""
        pipes = [p for p in (self.stdout, self.stderr) if p is not None]
        chunks: dict[int, list[bytes]] = {p.fileno(): [] for p in pipes}
        deadline = None if timeout is None else time.monotonic() + timeout
        open_fds = list(chunks)
        while open_fds:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise subprocess.TimeoutExpired(self.args, timeout or 0.0)
            readable, _, _ = select.select(open_fds, [], [], left)
            for fd in readable:
                data = os.read(fd, 65536)
                if data:
                    chunks[fd].append(data)
                else:
                    open_fds.remove(fd)
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        self.wait(left)
        outputs: list[Any] = []
        for pipe in (self.stdout, self.stderr):
            if pipe is None:
                outputs.append(None)
                continue
            data = b"".join(chunks[pipe.fileno()])
            outputs.append(data.decode(errors="replace") if "b" not in pipe.mode else data)
            pipe.close()
        return outputs[0], outputs[1]


def is_cli(args: Sequence[str]) -> bool:
    return len(args) >= 3 and args[0] == sys.executable and list(args[1:3]) == ["-m", CLI]


def popen(args: Sequence[str], **kwargs: Any) -> ForkedProcess | subprocess.Popen[Any]:
    """`subprocess.Popen`, with `python -m streams.cli ...` started through the fork server."""
    if is_cli(args) and set(kwargs) <= {"env", "cwd", "stdin", "stdout", "stderr", "text"}:
        return ForkedProcess(args, **kwargs)
    return subprocess.Popen(args, **kwargs)


# `subprocess` for `streams.worker.process` (WorkerProcess) in the suite: the same, but Popen
forking_subprocess = types.SimpleNamespace(
    **{**{name: getattr(subprocess, name) for name in subprocess.__all__}, "Popen": popen})


def run_cli(args: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 180,
            text: bool = True) -> subprocess.CompletedProcess[Any]:
    """`subprocess.run([sys.executable, "-m", "streams.cli", *args], capture_output=True,
    check=False)` through the fork server."""
    command = [sys.executable, "-m", CLI, *args]
    process = ForkedProcess(command, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=text)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
    assert process.returncode is not None
    return subprocess.CompletedProcess(command, process.returncode, out, err)


if __name__ == "__main__":
    _server_main()
