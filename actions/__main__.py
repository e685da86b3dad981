"""The action server: ``python -m actions`` (rasa-sdk on 127.0.0.1:<action_port>).

The case store is migrated before the server accepts requests; the eligibility engine
and the search index load on first use, once per process.
"""

from __future__ import annotations

import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor

from actions import ACTION_MODULES
from actions.services import default_services

HOST = "127.0.0.1"


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    services = default_services()
    _ = services.cases  # runs the migrations now, not on the first escalation
    executor = ActionExecutor()
    for module in ACTION_MODULES:
        executor.register_package(module)
    # Rasa calls the action server from the same machine: no cross-origin access.
    app = create_app(executor, cors_origins="")
    app.run(
        host=HOST,
        port=services.settings.action_port,
        single_process=True,
        access_log=False,
        motd=False,
    )


if __name__ == "__main__":
    main()
