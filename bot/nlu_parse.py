"""How Rasa reads each line of a file (for ``ieum nlu parse``).

From the running Rasa server when it answers (``POST /model/parse``); otherwise straight
from the newest trained model, by ``nlu/parse_offline.py`` in the Rasa venv (the app
venv never imports rasa). 주민등록번호 are masked before a line leaves the process, so
offsets refer to the masked text printed back.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from bot import messages
from bot.rasa_client import RasaClient, RasaUnavailable
from core.paths import NLU_DIR, RASA_PYTHON
from core.privacy import mask_rrn
from core.settings import Settings

OFFLINE_SCRIPT = NLU_DIR / "parse_offline.py"
QUIET_RASA = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}


class ParseUnavailable(Exception):
    """Neither the Rasa server nor a trained model could parse."""


def reading(text: str, result: Mapping[str, Any]) -> dict[str, Any]:
    """Rasa's parse result reduced to what ``ieum nlu parse`` prints."""
    intent = result.get("intent") or {}
    return {
        "text": text,
        "intent": intent.get("name"),
        "confidence": float(intent.get("confidence") or 0.0),
        "entities": [
            {
                "entity": entity.get("entity"),
                "value": entity.get("value"),
                "start": entity.get("start"),
                "end": entity.get("end"),
            }
            for entity in result.get("entities") or ()
        ],
    }


def trained_model(models_dir: Path) -> Path:
    """The model of the current nlu/ inputs (nlu/train_model.py links it), else the newest."""
    current = Settings.current_rasa_model(models_dir)
    if current.exists():
        return current.resolve()
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        raise ParseUnavailable(messages.NLU_NO_MODEL.format(models_dir=models_dir))
    return models[-1]


def server_is_up(settings: Settings) -> bool:
    try:
        return httpx.get(settings.rasa_url, timeout=2.0).status_code == httpx.codes.OK
    except httpx.HTTPError:
        return False


async def parse_with_server(settings: Settings, texts: Sequence[str]) -> list[dict[str, Any]]:
    async with RasaClient.from_settings(settings) as rasa:
        return [reading(text, await rasa.parse(text)) for text in texts]


def parse_offline(settings: Settings, texts: Sequence[str]) -> list[dict[str, Any]]:
    """Readings from the newest trained model, loaded in the Rasa venv."""
    if not RASA_PYTHON.exists():
        raise ParseUnavailable(messages.NLU_NO_RASA_VENV.format(python=RASA_PYTHON))
    model = trained_model(settings.rasa_models_dir)
    print(messages.NLU_OFFLINE.format(model=model.name), file=sys.stderr)
    done = subprocess.run(
        [str(RASA_PYTHON), str(OFFLINE_SCRIPT), str(model)],
        input="".join(f"{text}\n" for text in texts),
        capture_output=True,
        text=True,
        cwd=OFFLINE_SCRIPT.parent,
        env={**os.environ, **QUIET_RASA},
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise ParseUnavailable(messages.NLU_OFFLINE_FAILED.format(code=done.returncode))
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return [reading(text, result) for text, result in zip(texts, results, strict=True)]


def parse_lines(settings: Settings, lines: Sequence[str]) -> list[dict[str, Any]]:
    """One reading per line; blank lines read as no intent without asking Rasa."""
    texts = [mask_rrn(line.rstrip("\n"))[0] for line in lines]
    said = [text for text in texts if text.strip()]
    if not said:
        found: list[dict[str, Any]] = []
    elif server_is_up(settings):
        try:
            found = asyncio.run(parse_with_server(settings, said))
        except RasaUnavailable as exc:
            raise ParseUnavailable(str(exc)) from exc
    else:
        found = parse_offline(settings, said)
    readings = iter(found)
    return [next(readings) if text.strip() else reading(text, {}) for text in texts]
