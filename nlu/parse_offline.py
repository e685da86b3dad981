"""Parse stdin lines with a trained Rasa model: one JSON result a line on stdout.

Run by ``ieum nlu parse`` under the Rasa venv, with cwd nlu/ so the custom components
import, when the Rasa server is not up. Usage: parse_offline.py <model.tar.gz>
"""

import asyncio
import json
import logging
import sys


async def parse_lines(model_path: str) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(model_path)
    for line in sys.stdin:
        text = line.rstrip("\n")
        if text.strip():
            result = await agent.parse_message(text)
        else:
            result = {"text": text, "intent": None, "entities": []}
        reading = {
            "text": text,
            "intent": result.get("intent"),
            "entities": result.get("entities") or [],
        }
        print(json.dumps(reading, ensure_ascii=False, default=str), flush=True)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # Rasa's structured log prints every parsed text at debug level unless configured:
    # personal data, and not the JSON this script promises on stdout.
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    asyncio.run(parse_lines(sys.argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
