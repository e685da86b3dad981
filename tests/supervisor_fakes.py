"""Stand-ins for ieum's services in the supervisor tests: real children of a ``Stack``
that start and stop in milliseconds instead of minutes.

``python -m tests.supervisor_fakes serve PORT``: an HTTP server on 127.0.0.1:PORT that
answers every GET with its pid; ``--crash-if FILE`` exits with ``CRASH_CODE`` at start
while FILE exists, ``--start-seconds``/``--stop-seconds`` make starting and stopping (on
SIGTERM) slow.

``python -m tests.supervisor_fakes supervise LOG_DIR PORT...``: what ``ieum run`` does
(``ieum.run.supervise``, no terminal chat) with one fake service per port; prints
``READY`` once they all answer.

The functions at the end observe them from a test: pids, liveness, ports.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from urllib.error import URLError
from urllib.request import urlopen

from core.paths import REPO_ROOT

if TYPE_CHECKING:
    from ieum.stack import Service

CRASH_CODE = 3
READY = "fakes ready"


class _AnswersPid(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = str(os.getpid()).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Silence the fake."""


def serve(port: int, crash_if: Path | None, start_seconds: float, stop_seconds: float) -> int:
    if crash_if is not None and crash_if.exists():
        return CRASH_CODE

    def stop_slowly(signum: int, frame: FrameType | None) -> None:
        time.sleep(stop_seconds)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop_slowly)
    time.sleep(start_seconds)
    with HTTPServer(("127.0.0.1", port), _AnswersPid) as server:
        server.serve_forever()
    return 0


def fake_service(
    name: str,
    port: int,
    *,
    crash_if: Path | None = None,
    start_seconds: float = 0.0,
    stop_seconds: float = 0.0,
) -> Service:
    """A ``Service`` running ``serve`` on ``port``."""
    from ieum.stack import Service

    argv = [sys.executable, "-m", "tests.supervisor_fakes", "serve", str(port)]
    argv += ["--start-seconds", str(start_seconds), "--stop-seconds", str(stop_seconds)]
    if crash_if is not None:
        argv += ["--crash-if", str(crash_if)]
    return Service(
        name=name,
        argv=argv,
        cwd=REPO_ROOT,
        env={},
        ready_url=f"http://127.0.0.1:{port}/",
        ready_timeout=20,
    )


def supervise(
    log_dir: Path, ports: list[int], start_seconds: list[float], stop_seconds: float
) -> int:
    """``ieum run``'s supervision of one fake per port; ``start_seconds`` per fake."""
    # Imported here: the fakes themselves start faster without httpx and pydantic.
    from ieum.run import log_supervision, supervise
    from ieum.stack import Stack

    delays = start_seconds + [0.0] * (len(ports) - len(start_seconds))
    services = [
        fake_service(f"fake{i}", port, start_seconds=delay, stop_seconds=stop_seconds)
        for i, (port, delay) in enumerate(zip(ports, delays, strict=True))
    ]
    log_supervision(log_dir, to_stderr=True)
    return supervise(Stack(services, log_dir), READY, None)


def main() -> int:
    parser = argparse.ArgumentParser(prog="supervisor_fakes")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("serve")
    one.add_argument("port", type=int)
    one.add_argument("--crash-if", type=Path)
    one.add_argument("--start-seconds", type=float, default=0.0)
    one.add_argument("--stop-seconds", type=float, default=0.0)
    stack = commands.add_parser("supervise")
    stack.add_argument("log_dir", type=Path)
    stack.add_argument("ports", type=int, nargs="+")
    stack.add_argument("--start-seconds", type=float, nargs="*", default=[])
    stack.add_argument("--stop-seconds", type=float, default=0.0)
    args = parser.parse_args()
    if args.command == "serve":
        return serve(args.port, args.crash_if, args.start_seconds, args.stop_seconds)
    return supervise(args.log_dir, args.ports, args.start_seconds, args.stop_seconds)


def answering_pid(port: int) -> int | None:
    """The pid of the fake answering on ``port``, if one does."""
    try:
        with urlopen(f"http://127.0.0.1:{port}/", timeout=2.0) as response:
            return int(response.read())
    except (URLError, ConnectionError):
        return None


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie nobody reaped yet counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def children(parent: int) -> list[int]:
    """The pids of ``parent``'s living child processes."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
            if int(ppid) == parent and state != "Z":
                found.append(int(stat.parent.name))
    return found


def port_free(port: int) -> bool:
    """Whether a server could listen on ``port`` again (as servers do, past TIME_WAIT)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still not so after {timeout} s"
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
