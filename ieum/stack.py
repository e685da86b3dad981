"""Starting and stopping ieum's processes together: Rasa, the action server, the bot.

Used by ``ieum run`` (``make run``) and by the end-to-end tests, so both exercise the
same start-up path. Each process logs to ``<data_dir>/logs/<name>.log``; start-up waits
until the process answers its readiness URL and fails with the log's tail otherwise.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from core.paths import NLU_DIR, RASA_BIN, REPO_ROOT
from core.settings import Settings
from ieum import messages

ReadyCheck = Callable[[httpx.Response], bool]


def answers_ok(response: httpx.Response) -> bool:
    return response.status_code == 200


class StackError(RuntimeError):
    """A process did not start; the message carries the end of its log."""


@dataclass(frozen=True)
class Service:
    name: str
    argv: Sequence[str]
    cwd: Path
    env: dict[str, str]
    ready_url: str | None
    ready_timeout: float = 60.0
    is_ready: ReadyCheck = answers_ok


@dataclass
class Stack:
    """A set of services started in order and stopped in reverse order."""

    services: Sequence[Service]
    log_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        try:
            for service in self.services:
                self.start_one(service.name)
        except BaseException:
            self.stop()
            raise

    def start_one(self, name: str) -> None:
        service = self._service(name)
        if service.ready_url is not None and self._answers(service):
            # Whatever answers there is not the process about to start: most often an
            # ieum that is already running. Its "ready" must not be taken for ours.
            raise StackError(messages.ADDRESS_TAKEN.format(name=name, url=service.ready_url))
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            list(service.argv),
            cwd=service.cwd,
            env={**os.environ, **service.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so stop() reaches children
        )
        log.close()
        self.processes[name] = process
        self._wait_ready(service, process)

    def stop(self) -> None:
        for name in reversed([s.name for s in self.services]):
            self.stop_one(name)

    def stop_one(self, name: str, timeout: float = 15.0) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def restart_one(self, name: str) -> None:
        self.stop_one(name)
        self.start_one(name)

    def _service(self, name: str) -> Service:
        for service in self.services:
            if service.name == name:
                return service
        raise KeyError(name)

    def _wait_ready(self, service: Service, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + service.ready_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise StackError(
                    f"{service.name} exited ({process.returncode}):\n{self._tail(service)}"
                )
            if service.ready_url is None or self._answers(service):
                return
            time.sleep(0.3)
        raise StackError(
            f"{service.name} not ready after {service.ready_timeout:.0f} s:\n{self._tail(service)}"
        )

    @staticmethod
    def _answers(service: Service) -> bool:
        assert service.ready_url is not None
        try:
            return service.is_ready(httpx.get(service.ready_url, timeout=2.0))
        except httpx.HTTPError:
            return False

    def _tail(self, service: Service, lines: int = 40) -> str:
        path = self.log_dir / f"{service.name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def conversation_services(settings: Settings, *, with_bot: bool = True) -> list[Service]:
    """Rasa, the action server and (optionally) the bot, on the settings' addresses."""
    rasa = urlsplit(settings.rasa_url)
    redis = urlsplit(settings.redis_url)
    app_python = sys.executable
    # Every process reads exactly the supervisor's settings.
    shared_env = settings.as_env()
    rasa_env = {
        **shared_env,
        "IEUM_ACTION_URL": f"http://127.0.0.1:{settings.action_port}/webhook",
        "IEUM_REDIS_HOST": redis.hostname or "127.0.0.1",
        "IEUM_REDIS_PORT": str(redis.port or 6379),
        "IEUM_REDIS_DB": redis.path.strip("/") or "0",
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # One message is small work: a single thread per library serves many users better
        # than thread pools that spin between messages and take the cores from the others.
        "OMP_NUM_THREADS": "1",
        "TF_INTRA_OP_PARALLELISM_THREADS": "1",
        "TF_INTER_OP_PARALLELISM_THREADS": "1",
    }
    services = [
        Service(
            name="actions",
            argv=[app_python, "-m", "actions"],
            cwd=REPO_ROOT,
            env=shared_env,
            ready_url=f"http://127.0.0.1:{settings.action_port}/health",
            ready_timeout=120,
        ),
        Service(
            name="rasa",
            argv=[
                str(RASA_BIN),
                "run",
                "--enable-api",
                # One argument: a token may start with "-", which argparse takes for an option.
                f"--auth-token={settings.rasa_token}",
                "-i",
                rasa.hostname or "127.0.0.1",
                "-p",
                str(rasa.port or 5005),
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
                "-m",
                str(settings.rasa_model),
            ],
            cwd=NLU_DIR,
            env=rasa_env,
            # The ieum channel answers 200 once the model is loaded and warmed up.
            ready_url=f"{settings.rasa_url}/webhooks/ieum/",
            ready_timeout=240,
        ),
    ]
    if with_bot:
        webchat = None if settings.telegram_token else f"http://127.0.0.1:{settings.webchat_port}/"
        services.append(
            Service(
                name="bot",
                argv=[app_python, "-m", "bot"],
                cwd=REPO_ROOT,
                env=shared_env,
                ready_url=webchat,
            )
        )
    return services
