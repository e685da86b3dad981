"""parse_offline.py: stdout holds one JSON reading a line and nothing else.

Rasa logs every parsed text at debug level through structlog unless told otherwise; on
stdout that would both break the one-line-per-input contract and put what a citizen
wrote into a log. Skipped when the model for the current inputs has not been trained.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import MODELS_DIR
from train_model import NLU_DIR, model_path


def test_stdout_is_one_json_reading_per_line_and_nothing_else() -> None:
    model = model_path(NLU_DIR / "config.yml", MODELS_DIR)
    if not model.exists():
        pytest.skip("no model for the current inputs: run `make rasa-model`")
    texts = ["안녕하세요", "어머니가 일흔셋이세요"]
    done = subprocess.run(
        [sys.executable, "parse_offline.py", str(model)],
        input="".join(f"{text}\n" for text in texts),
        capture_output=True,
        text=True,
        cwd=NLU_DIR,
        check=True,
        timeout=300,
    )
    readings = [json.loads(line) for line in done.stdout.splitlines()]
    assert [reading["text"] for reading in readings] == texts
    assert "어머니가" not in done.stderr, "the citizen's words must not be logged"
