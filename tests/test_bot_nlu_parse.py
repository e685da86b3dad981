"""``ieum nlu parse``: one JSON line per input line, from the Rasa server when it is up,
else from the trained model (that path needs the Rasa venv and a model)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from bot import messages
from bot.nlu_parse import ParseUnavailable, trained_model
from core.paths import RASA_PYTHON
from core.settings import Settings
from ieum.emulated_stack import free_port
from tests.fake_rasa import FakeRasa


async def run_parse(settings: Settings, lines: list[str], tmp_path: Path) -> tuple[int, str, str]:
    source = tmp_path / "utterances.txt"
    source.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ieum.cli",
        "nlu",
        "parse",
        "--file",
        str(source),
        "--json",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **settings.as_env()},
    )
    out, err = await asyncio.wait_for(process.communicate(), 300)
    return process.returncode or 0, out.decode(), err.decode()


async def test_parse_uses_the_running_server(
    bot_settings: Settings, fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    code, out, err = await run_parse(
        bot_settings, ["어머니가 73세예요", "", "주민번호 800101-1234567"], tmp_path
    )
    assert code == 0, err
    first, blank, second = (json.loads(line) for line in out.splitlines())
    assert blank == {"text": "", "intent": None, "confidence": 0.0, "entities": []}
    assert len(fake_rasa.parsed) == 2
    assert first == {
        "text": "어머니가 73세예요",
        "intent": "inform",
        "confidence": 0.91,
        "entities": [{"entity": "age", "text": "73세", "value": 73, "start": 5, "end": 8}],
    }
    assert "1234567" not in second["text"]
    assert not any("1234567" in text for text in fake_rasa.parsed)


async def test_without_server_or_model_it_says_what_is_missing(
    bot_settings: Settings, tmp_path: Path
) -> None:
    offline = bot_settings.model_copy(update={"rasa_url": f"http://127.0.0.1:{free_port()}"})
    code, out, err = await run_parse(offline, ["안녕하세요"], tmp_path)
    assert code == 1
    assert out == ""
    if RASA_PYTHON.exists():
        models_dir = offline.rasa_models_dir
        assert messages.NLU_NO_MODEL.format(models_dir=models_dir) in err


@pytest.mark.slow
async def test_without_server_the_trained_model_parses(
    bot_settings: Settings, tmp_path: Path
) -> None:
    real_data = Settings().data_dir
    try:
        trained_model(Settings().rasa_models_dir)
    except ParseUnavailable:
        pytest.skip("no trained Rasa model under var/rasa/models yet")
    offline = bot_settings.model_copy(
        update={"rasa_url": f"http://127.0.0.1:{free_port()}", "data_dir": real_data}
    )
    code, out, err = await run_parse(
        offline, ["안녕하세요", "", "살려주세요 불이 났어요"], tmp_path
    )
    assert code == 0, err
    readings = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in readings] == ["안녕하세요", "", "살려주세요 불이 났어요"]
    assert readings[0]["intent"] == "greet"
    assert readings[1]["intent"] is None
    assert readings[2]["intent"] == "emergency"


async def test_entities_come_with_their_normalised_values(
    bot_settings: Settings, fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    """As Duckling would: the matched text, and the value it means."""
    fake_rasa.entity_parts = {
        "스물일곱": "age",
        "혼자": "household_size",
        "월 80만원": "money",
        "강서구 화곡동": "region",
    }
    line = "스물일곱 살이고 혼자 살아요 월 80만원 벌고 강서구 화곡동 살아요"
    code, out, err = await run_parse(bot_settings, [line], tmp_path)
    assert code == 0, err
    found = {e["entity"]: (e["text"], e["value"]) for e in json.loads(out)["entities"]}
    assert found == {
        "age": ("스물일곱", 27),
        "household_size": ("혼자", 1),
        "money": ("월 80만원", 800_000),
        "region": ("강서구 화곡동", "강서구 화곡동"),
    }
