"""Starting, supervising and stopping ieum's processes together: Rasa, the action server, the bot.

Used by ``ieum run`` (``make run``) and by the end-to-end tests, so both exercise the
same start-up path. Each process logs to ``<log_dir>/<name>.log``; start-up waits
until the process answers its readiness URL and fails with the log's tail otherwise.

Once everything is up, one watcher thread per service notices a process that exited
without being asked and starts it again after a growing delay (``Backoff``), waiting
for its readiness URL as on start; the other services keep running meanwhile.
``Stack.stop`` ends the watchers first, then stops every process group (SIGTERM, then
SIGKILL after a grace period); it is idempotent, and ``Stack.request_stop`` (safe in a
signal handler) makes a start in progress give up. Linux sends each child SIGTERM when
the supervisor dies, even by SIGKILL (PR_SET_PDEATHSIG). Supervision events are logged
(logger ``ieum.stack``) with service names and exit statuses only, never log contents.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from core.paths import NLU_DIR, RASA_PYTHON, REPO_ROOT
from core.settings import Settings
from ieum import messages

logger = logging.getLogger(__name__)

ReadyCheck = Callable[[httpx.Response], bool]
Running = list[tuple[str, subprocess.Popen[bytes]]]

# How often waits look at their process and at stop requests.
POLL_SECONDS = 0.2
READY_POLL_SECONDS = 0.3
RASA_LAUNCHER = NLU_DIR / "serve.py"

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def answers_ok(response: httpx.Response) -> bool:
    return response.status_code == 200


def describe_exit(code: int) -> str:
    """An exit status in plain words: ``exit code 3`` or ``killed by SIGKILL``."""
    if code >= 0:
        return f"exit code {code}"
    try:
        return f"killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"killed by signal {-code}"


def die_with_parent(parent: int) -> None:
    """Between fork and exec: have Linux send this child SIGTERM when its parent ends.

    The parent is the thread that forked the child (hence ``_Spawner``). When the
    supervisor is already gone (``parent`` is no longer the parent), the child ends now.
    """
    if _PRCTL is None:
        return
    _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGTERM))
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


class StackError(RuntimeError):
    """A process did not start; the message carries the end of its log.

    ``reason`` says why in a few words fit for the supervisor log (no log contents).
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class StackStopped(Exception):
    """A start gave up because the stack was asked to stop."""


@dataclass(frozen=True)
class Service:
    name: str
    argv: Sequence[str]
    cwd: Path
    env: dict[str, str]
    ready_url: str | None
    ready_timeout: float = 60.0
    is_ready: ReadyCheck = answers_ok


@dataclass(frozen=True)
class Backoff:
    """Delays before restarting a service that exited: ``first``, doubled after each
    failed attempt, at most ``cap``; a run that lasted ``reset_after`` seconds resets it."""

    first: float = 1.0
    cap: float = 30.0
    reset_after: float = 60.0

    def delay(self, failures: int) -> float:
        """The delay after ``failures`` consecutive failures (0 for the first exit)."""
        return min(self.cap, self.first * 2.0 ** min(failures, 64))


class _Watch:
    """A watcher thread's handle; ``cancelled`` once its service is stopped on purpose."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cancelled = False
        self.thread: threading.Thread | None = None


def _popen(service: Service, log: BinaryIO) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        list(service.argv),
        cwd=service.cwd,
        env={**os.environ, **service.env},
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so stopping reaches its children
        preexec_fn=functools.partial(die_with_parent, os.getpid()),
    )


class _Spawner:
    """Forks every child of a stack from one thread that lives until the stack stops.

    Linux sends the parent-death signal when the *thread* that forked a child ends, not
    the process: a child forked by a watcher, or by a caller's short-lived worker thread
    (``asyncio.to_thread``), would be terminated together with that thread.
    """

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None

    def popen(self, service: Service, log: BinaryIO) -> subprocess.Popen[bytes]:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="ieum-spawn")
        return self._executor.submit(_popen, service, log).result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


@dataclass
class Stack:
    """A set of services started in order, kept running, and stopped in reverse order."""

    services: Sequence[Service]
    log_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    backoff: Backoff = Backoff()
    # How long a process may take to stop after SIGTERM before its group gets SIGKILL.
    stop_timeout: float = 15.0
    # From a stop request until the stop is done: starts and watchers give up.
    _stopping: bool = field(default=False, init=False, repr=False)
    _supervising: bool = field(default=False, init=False, repr=False)
    _watches: dict[str, _Watch] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)
    _stop_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _spawner: _Spawner = field(default_factory=_Spawner, init=False, repr=False)

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
        """Start every service in order, then supervise them all.

        On a failure, or when a stop is requested meanwhile (``StackStopped``), whatever
        started is stopped again before the exception propagates.
        """
        try:
            for service in self.services:
                self.start_one(service.name)
            self._supervise()
        except BaseException:
            self.stop()
            raise

    def start_one(self, name: str) -> None:
        """Start one service and wait until it answers; supervised if the stack is."""
        process = self._launch(self._service(name), None)
        logger.info("%s is ready (pid %d)", name, process.pid)
        with self._lock:
            if self._supervising and self.processes.get(name) is process:
                self._watch(name, process)

    def request_stop(self) -> None:
        """Make a start in progress and the watchers give up; ``stop`` does the rest.

        Only sets a flag, so a signal handler may call it.
        """
        self._stopping = True

    def stop(self) -> None:
        """Stop the watchers, then every process at once: SIGTERM to each group, SIGKILL
        to those still there after ``stop_timeout``. Idempotent, safe from any thread."""
        with self._stop_lock:
            self._stopping = True
            self._stop_watchers()
            with self._lock:
                running = [
                    (name, self.processes.pop(name))
                    for name in reversed([s.name for s in self.services])
                    if name in self.processes
                ]
            self._terminate(running, self.stop_timeout)
            with self._lock:
                self._spawner.close()
            self._stopping = False

    def stop_one(self, name: str, timeout: float | None = None) -> None:
        """Stop one service on purpose (its watcher lets it go): SIGTERM to its group,
        SIGKILL after ``timeout`` seconds (default ``stop_timeout``)."""
        with self._lock:
            watch = self._watches.pop(name, None)
            if watch is not None:
                watch.cancelled = True
            process = self.processes.pop(name, None)
        if process is not None:
            self._terminate([(name, process)], self.stop_timeout if timeout is None else timeout)
        if watch is not None:
            self._join(watch)

    def restart_one(self, name: str) -> None:
        self.stop_one(name)
        self.start_one(name)

    def _service(self, name: str) -> Service:
        for service in self.services:
            if service.name == name:
                return service
        raise KeyError(name)

    def _halted(self, watch: _Watch | None) -> bool:
        return self._stopping or (watch is not None and watch.cancelled)

    def _launch(self, service: Service, watch: _Watch | None) -> subprocess.Popen[bytes]:
        """Start ``service`` and wait until it answers; on failure none of it keeps running."""
        if service.ready_url is not None and self._answers(service):
            # Whatever answers there is not the process about to start: most often an
            # ieum that is already running. Its "ready" must not be taken for ours.
            raise StackError(
                messages.ADDRESS_TAKEN.format(name=service.name, url=service.ready_url),
                reason="its address already answers",
            )
        with self._lock:  # a stop takes the lock too: nothing starts once it has begun
            if self._halted(watch):
                raise StackStopped(service.name)
            process = self._spawn(service)
            self.processes[service.name] = process
        try:
            self._wait_ready(service, process, watch)
        except BaseException:
            self._discard(service.name, process)
            raise
        return process

    def _spawn(self, service: Service) -> subprocess.Popen[bytes]:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with (self.log_dir / f"{service.name}.log").open("ab") as log:
            try:
                return self._spawner.popen(service, log)
            except OSError as error:
                raise StackError(
                    f"{service.name} could not be started: {error}",
                    reason=error.strerror or type(error).__name__,
                ) from error

    def _discard(self, name: str, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            if self.processes.get(name) is process:
                del self.processes[name]
        self._terminate([(name, process)], self.stop_timeout)

    def _wait_ready(
        self, service: Service, process: subprocess.Popen[bytes], watch: _Watch | None
    ) -> None:
        deadline = time.monotonic() + service.ready_timeout
        while not self._halted(watch):
            code = process.poll()
            if code is not None:
                raise StackError(
                    f"{service.name} exited ({code}):\n{self._tail(service)}",
                    reason=describe_exit(code),
                )
            if service.ready_url is None or self._answers(service):
                return
            if time.monotonic() >= deadline:
                raise StackError(
                    f"{service.name} not ready after {service.ready_timeout:.0f} s:\n"
                    f"{self._tail(service)}",
                    reason=f"not ready after {service.ready_timeout:g} s",
                )
            time.sleep(READY_POLL_SECONDS)
        raise StackStopped(service.name)

    def _terminate(self, running: Running, timeout: float) -> None:
        """SIGTERM to each process group, a shared wait of ``timeout`` seconds, then
        SIGKILL to the groups of the processes still there and to any leftovers."""
        for _, process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for name, process in running:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop within %g s; killing it", name, timeout)
                _signal_group(process, signal.SIGKILL)
                process.wait()
            _signal_group(process, signal.SIGKILL)  # what its own children left behind
            logger.info("%s stopped (%s)", name, describe_exit(process.returncode))

    def _supervise(self) -> None:
        with self._lock:
            if self._stopping:
                raise StackStopped("supervision")
            self._supervising = True
            for name, process in self.processes.items():
                self._watch(name, process)

    def _watch(self, name: str, process: subprocess.Popen[bytes]) -> None:
        """Start a watcher thread for ``name``; the caller holds the lock."""
        watch = _Watch(name)
        watch.thread = threading.Thread(
            target=self._keep_alive, args=(watch, process), name=f"ieum-watch-{name}", daemon=True
        )
        self._watches[name] = watch
        watch.thread.start()

    def _stop_watchers(self) -> None:
        with self._lock:
            self._supervising = False
            watches = list(self._watches.values())
            self._watches.clear()
            for watch in watches:
                watch.cancelled = True
        for watch in watches:
            self._join(watch)

    def _join(self, watch: _Watch) -> None:
        # A watcher notices within a poll, or once the start it waits for gives up.
        if watch.thread is not None and watch.thread is not threading.current_thread():
            watch.thread.join(self.stop_timeout + 5.0)

    def _keep_alive(self, watch: _Watch, process: subprocess.Popen[bytes]) -> None:
        """A watcher thread: start the service again each time it exits unasked."""
        service = self._service(watch.name)
        failures = 0
        up_since = time.monotonic()
        while (code := self._wait_exit(watch, process)) is not None:
            if time.monotonic() - up_since >= self.backoff.reset_after:
                failures = 0
            delay = self.backoff.delay(failures)
            logger.warning(
                "%s exited unexpectedly (%s); restarting in %g s",
                watch.name,
                describe_exit(code),
                delay,
            )
            restarted = self._restart(watch, service, delay, failures + 1)
            if restarted is None:
                return
            process, failures = restarted
            up_since = time.monotonic()

    def _wait_exit(self, watch: _Watch, process: subprocess.Popen[bytes]) -> int | None:
        """``process``'s exit status once it ends on its own; None when it is stopped on
        purpose or the stack stops."""
        while True:
            try:
                code = process.wait(POLL_SECONDS)
            except subprocess.TimeoutExpired:
                if self._halted(watch):
                    return None
                continue
            with self._lock:
                if self._halted(watch) or self.processes.get(watch.name) is not process:
                    return None
                del self.processes[watch.name]
            _signal_group(process, signal.SIGKILL)  # what its own children left behind
            return code

    def _restart(
        self, watch: _Watch, service: Service, delay: float, failures: int
    ) -> tuple[subprocess.Popen[bytes], int] | None:
        """Start ``service`` after ``delay``, retrying with growing delays; the new process
        and the failures so far, or None once the service or the stack is stopped."""
        while self._pause(watch, delay):
            try:
                process = self._launch(service, watch)
            except StackStopped:
                return None
            except StackError as error:
                delay = self.backoff.delay(failures)
                failures += 1
                logger.warning(
                    "%s did not come back (%s); next attempt in %g s",
                    service.name,
                    error.reason,
                    delay,
                )
                continue
            logger.warning("%s is running again (pid %d)", service.name, process.pid)
            return process, failures
        return None

    def _pause(self, watch: _Watch, seconds: float) -> bool:
        """Wait ``seconds``; False as soon as the service or the stack is stopped."""
        deadline = time.monotonic() + seconds
        while not self._halted(watch):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return True
            time.sleep(min(POLL_SECONDS, remaining))
        return False

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
    # Every process reads exactly the supervisor's settings; Rasa's launcher takes its
    # API token from there (IEUM_RASA_TOKEN), so the token stays out of `ps`.
    shared_env = settings.as_env()
    rasa_env = {
        **shared_env,
        "IEUM_ACTION_URL": f"http://127.0.0.1:{settings.action_port}/webhook",
        "IEUM_REDIS_HOST": redis.hostname or "127.0.0.1",
        "IEUM_REDIS_PORT": str(redis.port or 6379),
        "IEUM_REDIS_DB": redis.path.strip("/") or "0",
        "RASA_TELEMETRY_ENABLED": "false",
        # Requests in flight get 5 s to finish on SIGTERM, within Stack.stop_timeout.
        "SANIC_GRACEFUL_SHUTDOWN_TIMEOUT": "5",
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
                str(RASA_PYTHON),
                str(RASA_LAUNCHER),
                "--enable-api",
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


def console_service(settings: Settings) -> Service:
    """The staff console (``ieum staff serve``), which also delivers staff replies."""
    return Service(
        name="staff",
        argv=[sys.executable, "-m", "ieum.cli", "staff", "serve"],
        cwd=REPO_ROOT,
        env=settings.as_env(),
        ready_url=f"http://{settings.staff_host}:{settings.staff_port}/healthz",
    )


def checkin_worker_service(settings: Settings) -> Service:
    """The check-in scheduler (``ieum checkins worker``): creates, sends and escalates
    check-ins, through Telegram when a bot token is set. It has no address to ask: it is
    up while it runs. One is enough (SQLite allows no more; on PostgreSQL more may run)."""
    return Service(
        name="checkins",
        argv=[sys.executable, "-m", "ieum.cli", "checkins", "worker"],
        cwd=REPO_ROOT,
        env=settings.as_env(),
        ready_url=None,
    )
