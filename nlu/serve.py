"""Start Rasa's server (``rasa run``) with its API token read from the environment.

Run by ``ieum run`` (``ieum.stack``) with the Rasa venv's python and cwd nlu/:
``serve.py [rasa run options]``. The token comes from IEUM_RASA_TOKEN, the variable the
ieum channel reads too, and reaches Rasa's command line inside this process only:
``sys.argv`` is Python's own list, so the token never appears in /proc/<pid>/cmdline,
which ``ps`` shows every user of the machine.

Once the server has stopped (SIGTERM), the process ends at once: Rasa has closed its
stores by then, and the interpreter's teardown of TensorFlow that would follow took
2 s on two shared cores.
"""

from __future__ import annotations

import logging
import os
import sys

from channels.ieum_channel import TOKEN_ENV


def rasa_argv(options: list[str], token: str) -> list[str]:
    """``rasa run`` with ``options`` and the API token."""
    # One argument: a token may start with "-", which argparse takes for an option.
    return ["rasa", "run", f"--auth-token={token}", *options]


def main() -> int:
    token = os.environ.get(TOKEN_ENV, "")
    if not token:
        print(f"{TOKEN_ENV} is empty: Rasa's API would be open to anyone.", file=sys.stderr)
        return 2
    sys.argv = rasa_argv(sys.argv[1:], token)
    from rasa.__main__ import main as rasa_main

    rasa_main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
