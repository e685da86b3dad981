"""``ieum nlu train`` and ``ieum nlu parse``.

Training runs in the Rasa venv (``nlu/train_model.py``); this side only says where the
models live, so that ``IEUM_DATA_DIR`` moves them together with everything else, and
where the machine-wide cache is (``IEUM_SHARED_CACHE_DIR``): a model trained once on this
machine serves every checkout with the same nlu/ inputs, a fresh clone included.

Parsing reads each line with Rasa (``bot/nlu_parse.py``) and gives every entity its
normalised value beside the text it matched (``actions/normalise/entities.py``), as
Duckling would: ``{"entity": "age", "text": "스물일곱", "value": 27, …}``.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from actions.normalise import ProgramMatcher
from actions.normalise.entities import normalised_value
from bot.nlu_parse import ParseUnavailable, parse_lines
from core.clock import local_clock
from core.paths import NLU_DIR, RASA_PYTHON
from core.settings import Settings
from ieum import messages
from knowledge.service import load_settings_catalog

TRAIN_SCRIPT = NLU_DIR / "train_model.py"


def train_command(settings: Settings) -> int:
    if not RASA_PYTHON.exists():
        print(messages.NO_RASA_VENV.format(python=RASA_PYTHON), file=sys.stderr)
        return 1
    argv = [
        str(RASA_PYTHON),
        str(TRAIN_SCRIPT),
        "--out",
        str(settings.rasa_models_dir),
        "--shared",
        str(settings.shared_cache_dir / "rasa-models"),
    ]
    return subprocess.run(argv, check=False).returncode


def parse_command(settings: Settings, file: TextIO, as_json: bool) -> int:
    try:
        readings = parse_lines(settings, file.readlines())
    except ParseUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1
    today = local_clock(settings.office_timezone)().date()
    matcher = ProgramMatcher(load_settings_catalog(settings))
    for item in readings:
        item["entities"] = [
            with_value(entity, item["text"], today, matcher) for entity in item["entities"]
        ]
        if as_json:
            print(json.dumps(item, ensure_ascii=False))
        else:
            found = " ".join(f"{e['entity']}={e['value']}" for e in item["entities"])
            print(f"{item['intent']}\t{item['confidence']:.2f}\t{item['text']}\t{found}")
    return 0


def with_value(
    entity: Mapping[str, Any], said: str, today: dt.date, matcher: ProgramMatcher
) -> dict[str, Any]:
    """The entity with the text it matched and its normalised value (else Rasa's)."""
    start, end, raw = entity.get("start"), entity.get("end"), entity.get("value")
    spans = isinstance(start, int) and isinstance(end, int)
    text = said[start:end] if spans else str(raw)
    value = normalised_value(str(entity.get("entity")), text, today, matcher)
    return {
        "entity": entity.get("entity"),
        "text": text,
        "value": raw if value is None else value,
        "start": start,
        "end": end,
    }
