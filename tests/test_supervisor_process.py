"""``ieum run``'s supervisor as a process: stop signals, even two in a row or during the
start, stop every child and free its port; a supervisor killed outright takes its
children with it; Rasa's launcher keeps the API token off the command line."""

from __future__ import annotations

import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from core.paths import RASA_PYTHON, REPO_ROOT
from core.settings import Settings
from ieum import messages
from ieum.emulated_stack import free_port
from ieum.stack import Stack, conversation_services
from tests.supervisor_fakes import READY, alive, answering_pid, children, port_free, wait_until


@contextmanager
def supervisor(
    tmp_path: Path, ports: list[int], *options: str
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """``tests.supervisor_fakes supervise`` on ``ports``, and the file of its output."""
    output = tmp_path / "supervisor.out"
    argv = [sys.executable, "-m", "tests.supervisor_fakes", "supervise", str(tmp_path / "logs")]
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [*argv, *map(str, ports), *options], cwd=REPO_ROOT, stdout=sink, stderr=sink
        )
    try:
        yield process, output
    finally:
        process.kill()  # its children follow (see the last test)
        process.wait()


def said(output: Path, text: str) -> bool:
    return text in output.read_text(encoding="utf-8")


def test_two_sigterms_in_a_row_stop_every_child_and_free_the_ports(tmp_path: Path) -> None:
    ports = [free_port(), free_port()]
    with supervisor(tmp_path, ports, "--stop-seconds", "1") as (process, output):
        wait_until(lambda: said(output, READY))
        pids = [answering_pid(port) for port in ports]
        process.send_signal(signal.SIGTERM)
        wait_until(lambda: said(output, messages.RUN_STOPPING))
        process.send_signal(signal.SIGTERM)  # while the fakes take a second to stop
        assert process.wait(30) == 0
    assert not any(pid is None or alive(pid) for pid in pids)
    assert all(port_free(port) for port in ports)
    log = (tmp_path / "logs" / "supervisor.log").read_text()
    assert "fake0 stopped (exit code 0)" in log  # by SIGTERM, without needing SIGKILL
    assert "fake1 stopped (exit code 0)" in log
    assert said(output, messages.RUN_STOPPED)


def test_a_stop_signal_during_the_start_stops_what_started(tmp_path: Path) -> None:
    ports = [free_port(), free_port()]
    with supervisor(tmp_path, ports, "--start-seconds", "0", "60") as (process, output):
        wait_until(lambda: answering_pid(ports[0]) is not None and len(children(process.pid)) == 2)
        started = children(process.pid)
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
    assert not any(alive(pid) for pid in started)
    assert port_free(ports[0])
    assert not said(output, READY)


def test_the_children_of_a_killed_supervisor_end_too(tmp_path: Path) -> None:
    ports = [free_port(), free_port()]
    with supervisor(tmp_path, ports) as (process, output):
        wait_until(lambda: said(output, READY))
        pids = [answering_pid(port) for port in ports]
        process.kill()
        process.wait()
        wait_until(lambda: not any(pid is None or alive(pid) for pid in pids))
    assert all(port_free(port) for port in ports)


def rasa_settings() -> Settings:
    """The checkout's settings on free ports, with a token that looks like an option."""
    return Settings(
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_token=f"-{secrets.token_urlsafe(24)}",
        action_port=free_port(),
    )


@pytest.mark.slow
@pytest.mark.skipif(
    not (RASA_PYTHON.exists() and Settings().rasa_model.exists()),
    reason="needs the Rasa venv and a trained model (make rasa-model)",
)
def test_rasa_gets_its_token_without_showing_it_on_the_command_line(tmp_path: Path) -> None:
    settings = rasa_settings()
    rasa = [s for s in conversation_services(settings, with_bot=False) if s.name == "rasa"]
    with Stack(rasa, tmp_path / "logs") as stack:
        pid = stack.processes["rasa"].pid
        command_line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        shown = subprocess.run(["ps", "-o", "args=", "-p", str(pid)], capture_output=True)
        status = f"{settings.rasa_url}/status"
        with_token = httpx.get(status, params={"token": settings.rasa_token}, timeout=10)
        without = httpx.get(status, timeout=10)
    assert "serve.py" in command_line
    assert settings.rasa_token not in command_line
    assert settings.rasa_token.encode() not in shown.stdout
    assert (with_token.status_code, without.status_code) == (200, 401)
