"""Dialogue rules, checked with `rasa test core` on the model of the current inputs.

The model is the one nlu/train_model.py builds (`make rasa-model`); the test is skipped
when it has not been trained for the current inputs yet.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import MODELS_DIR
from train_model import NLU_DIR, cache_dir_for, model_path, rasa

STORIES = Path(__file__).with_name("test_stories.yml")


def test_conversation_rules_predict_every_action(tmp_path: Path) -> None:
    model = model_path(NLU_DIR / "config.yml", MODELS_DIR)
    if not model.exists():
        pytest.skip("no model for the current inputs: run `make rasa-model`")
    command = ["test", "core", "--stories", str(STORIES), "--model", str(model)]
    try:
        rasa(
            *command,
            "--out",
            str(tmp_path),
            "--fail-on-prediction-errors",
            "--no-plot",
            cache_dir=cache_dir_for(MODELS_DIR),
        )
    except subprocess.CalledProcessError:
        failed = tmp_path / "failed_test_stories.yml"
        pytest.fail(failed.read_text(encoding="utf-8") if failed.exists() else "rasa failed")
