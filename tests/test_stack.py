"""ieum.stack: a service whose address already answers is not started, nor taken as ready."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ieum import messages
from ieum.stack import Service, Stack, StackError


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Silence the test server."""


@pytest.fixture
def running_elsewhere() -> Iterator[str]:
    """The URL of a server that already answers, as an ieum started earlier would."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_taken_address_fails_before_the_process_starts(
    running_elsewhere: str, tmp_path: Path
) -> None:
    marker = tmp_path / "started"
    service = Service(
        name="actions",
        argv=[sys.executable, "-c", f"open({str(marker)!r}, 'w').close()"],
        cwd=tmp_path,
        env={},
        ready_url=running_elsewhere,
        ready_timeout=5,
    )
    stack = Stack([service], tmp_path / "logs")
    with pytest.raises(StackError) as failure:
        stack.start()
    assert str(failure.value) == messages.ADDRESS_TAKEN.format(
        name="actions", url=running_elsewhere
    )
    assert not marker.exists(), "the service must not be started"
    assert stack.processes == {}
