"""The action server: ``python -m actions`` (rasa-sdk on 127.0.0.1:<action_port>).

Before the server accepts requests, the case store is migrated and the engine, the
program matcher and the search (embedding model and index) are loaded and warmed with
one query, so the first citizens to write do not wait seconds for a model to load.

On SIGTERM Sanic finishes the requests in flight (at most ``STOP_GRACE_SECONDS``) and
the process ends at once, without tearing down the models' memory object by object.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from typing import NoReturn

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor

from actions import ACTION_MODULES
from actions.services import default_services

HOST = "127.0.0.1"
WARM_UP_QUERY = "기초연금 신청"
# Requests in flight get this long to finish on SIGTERM: well within the 15 s the
# supervisor (ieum.stack) waits before SIGKILL, and far more than an action takes.
STOP_GRACE_SECONDS = 5.0


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    services = default_services()
    _ = services.cases  # runs the migrations now, not on the first escalation
    _ = services.engine, services.matcher
    # Without a built index program questions get a polite "not available" answer.
    with contextlib.suppress(FileNotFoundError):
        services.search.search(WARM_UP_QUERY, 1)
    executor = ActionExecutor()
    for module in ACTION_MODULES:
        executor.register_package(module)
    # Rasa calls the action server from the same machine: no cross-origin access.
    app = create_app(executor, cors_origins="")
    app.config.GRACEFUL_SHUTDOWN_TIMEOUT = STOP_GRACE_SECONDS
    app.run(
        host=HOST,
        port=services.settings.action_port,
        single_process=True,
        access_log=False,
        motd=False,
    )
    exit_at_once()


def exit_at_once() -> NoReturn:
    """End the process now that the server has stopped.

    Sanic stops within 0.1 s of SIGTERM; the interpreter's teardown after it, freeing
    torch, the embedding model and its tokenizer object by object, took another 2 to 4 s
    on two shared cores. Nothing in it needs finishing: the logs are flushed here, and
    database connections close with the process (SQLite needs nothing; PostgreSQL sees
    an idle client leave).
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
