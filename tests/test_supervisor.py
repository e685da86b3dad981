"""ieum.stack supervises: a service that exits unasked is started again, with growing
delays while it keeps failing, and the others keep running; one stopped on purpose stays
stopped; a stop request makes a start in progress give up. Fake services (tests/
supervisor_fakes.py) stand in for Rasa, the action server and the bot."""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
import time
from pathlib import Path

import pytest

from ieum.emulated_stack import free_port
from ieum.stack import Backoff, Stack, StackStopped
from tests.supervisor_fakes import alive, answering_pid, fake_service, wait_until

QUICK = Backoff(first=0.05, cap=0.2, reset_after=60.0)


@pytest.fixture(autouse=True)
def _supervisor_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="ieum.stack")


def pid_at(port: int) -> int:
    pid = answering_pid(port)
    assert pid is not None, f"nothing answers on port {port}"
    return pid


def restart_delays(caplog: pytest.LogCaptureFixture, name: str) -> list[float]:
    """The delays the supervisor announced before each attempt to start ``name`` again."""
    pattern = re.compile(rf"{name} .*(?:restarting in|next attempt in) ([\d.]+) s$")
    return [float(found[1]) for m in caplog.messages if (found := pattern.match(m))]


def running_again(caplog: pytest.LogCaptureFixture, name: str) -> int:
    """How often the supervisor has seen ``name`` answer again after it exited."""
    return sum(m.startswith(f"{name} is running again (pid ") for m in caplog.messages)


def kill(port: int) -> int:
    pid = pid_at(port)
    os.kill(pid, signal.SIGKILL)
    return pid


def test_a_killed_service_is_started_again_and_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = free_port(), free_port()
    services = [fake_service("fake0", first), fake_service("fake1", second)]
    with Stack(services, tmp_path / "logs", backoff=QUICK):
        other = pid_at(second)
        killed = kill(first)
        wait_until(lambda: running_again(caplog, "fake0") == 1)
        assert pid_at(first) != killed
        assert pid_at(second) == other
    assert "fake0 exited unexpectedly (killed by SIGKILL); restarting in 0.05 s" in caplog.messages


def test_a_service_that_keeps_crashing_is_retried_ever_later_while_the_others_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = free_port(), free_port()
    crash = tmp_path / "crash"
    services = [fake_service("fake0", first, crash_if=crash), fake_service("fake1", second)]
    with Stack(services, tmp_path / "logs", backoff=QUICK):
        other = pid_at(second)
        crash.touch()
        kill(first)
        wait_until(lambda: len(restart_delays(caplog, "fake0")) >= 5)
        assert pid_at(second) == other
        crash.unlink()
        wait_until(lambda: running_again(caplog, "fake0") == 1)
        assert pid_at(second) == other
    assert restart_delays(caplog, "fake0")[:5] == [0.05, 0.1, 0.2, 0.2, 0.2]
    assert "fake0 did not come back (exit code 3); next attempt in 0.1 s" in caplog.messages


def test_the_delay_grows_while_restarts_die_young_and_resets_after_a_long_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    backoff = Backoff(first=0.05, cap=1.0, reset_after=1.0)
    with Stack([fake_service("fake0", port)], tmp_path / "logs", backoff=backoff):
        for restarts in (1, 2):  # killed again as soon as it is back
            kill(port)
            wait_until(lambda: running_again(caplog, "fake0") == restarts)  # noqa: B023
        time.sleep(1.2)  # up longer than reset_after
        kill(port)
        wait_until(lambda: running_again(caplog, "fake0") == 3)
    assert restart_delays(caplog, "fake0") == [0.05, 0.1, 0.05]


def test_a_service_stopped_on_purpose_stays_stopped_and_is_watched_once_started_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    with Stack([fake_service("fake0", port)], tmp_path / "logs", backoff=QUICK) as stack:
        stopped = pid_at(port)
        stack.stop_one("fake0")
        time.sleep(0.6)  # three polls of the watcher
        assert answering_pid(port) is None
        assert not alive(stopped)
        stack.start_one("fake0")
        kill(port)
        wait_until(lambda: running_again(caplog, "fake0") == 1)
    assert restart_delays(caplog, "fake0") == [0.05]


def test_a_stop_request_makes_a_start_in_progress_give_up(tmp_path: Path) -> None:
    quick, slow = free_port(), free_port()
    services = [fake_service("fake0", quick), fake_service("fake1", slow, start_seconds=60)]
    stack = Stack(services, tmp_path / "logs")
    outcome: list[BaseException] = []

    def start() -> None:
        try:
            stack.start()
        except BaseException as error:
            outcome.append(error)

    starting = threading.Thread(target=start)
    starting.start()
    wait_until(lambda: answering_pid(quick) is not None and "fake1" in stack.processes)
    started = [pid_at(quick), stack.processes["fake1"].pid]
    stack.request_stop()
    starting.join(5.0)
    assert not starting.is_alive()
    assert [type(error) for error in outcome] == [StackStopped]
    assert stack.processes == {}
    assert not any(alive(pid) for pid in started)
    stack.stop()  # once more: nothing left to do


def test_backoff_doubles_up_to_its_cap() -> None:
    assert [Backoff().delay(n) for n in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert Backoff().delay(10_000) == 30
