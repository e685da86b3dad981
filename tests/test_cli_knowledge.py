"""`ieum match` and `ieum catalog validate` as a user runs them."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from core.settings import Settings, get_settings
from ieum.cli import main
from knowledge.catalog import load_catalog

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """Call the real entry point with arguments and standard input; return code, out, err."""

    def call(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(argv)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return call


def test_match_json_from_stdin(run: Run) -> None:
    profile = {
        "age": 73,
        "lives_alone": True,
        "monthly_income": 600_000,
        "region": "서울 강서구",
        "has_assets": False,
        "employment": "none",
    }
    code, out, _ = run(
        ["match", "--profile", "-", "--json", "--date", "2026-07-01"], json.dumps(profile)
    )
    assert code == 0
    data = json.loads(out)
    eligible = {row["id"]: row for row in data["eligible"]}
    assert "basic_pension" in eligible
    assert "basic_livelihood_living" in eligible
    assert eligible["basic_livelihood_living"]["amount"]["value"] == 820_556 - 600_000
    assert eligible["basic_livelihood_living"]["amount"]["verified"] is False
    assert all({"id", "name", "missing"} == set(r) for r in data["maybe"])
    assert all({"id", "name", "failed"} == set(r) for r in data["ineligible"])


ONE_PERSON_BETWEEN_THE_LINES = {
    # 850,000 is over 2026's 생계 line for one (820,556) and under 2027's (875,533).
    "household_size": 1,
    "monthly_income": 850_000,
    "has_assets": False,
    "employment": "none",
}


@pytest.mark.parametrize(
    ("day", "status"), [("2026-12-31", "ineligible"), ("2027-01-01", "eligible")]
)
def test_the_day_chooses_the_years_line(run: Run, day: str, status: str) -> None:
    code, out, _ = run(
        ["match", "--profile", "-", "--json", "--date", day],
        json.dumps(ONE_PERSON_BETWEEN_THE_LINES),
    )
    assert code == 0
    assert "basic_livelihood_living" in {row["id"] for row in json.loads(out)[status]}


def test_a_program_between_rounds_is_listed_as_closed(run: Run) -> None:
    profile = {"age": 25, "lives_alone": True, "monthly_income": 1_500_000}
    code, out, _ = run(
        ["match", "--profile", "-", "--json", "--date", "2026-12-04"], json.dumps(profile)
    )
    assert code == 0
    data = json.loads(out)
    closed = {row["id"]: row for row in data["closed"]}
    assert "youth_monthly_rent" in closed
    assert closed["youth_monthly_rent"]["reason"]
    judged = {row["id"] for status in ("eligible", "maybe", "ineligible") for row in data[status]}
    assert "youth_monthly_rent" not in judged


def test_a_bad_date_is_refused_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["match", "--profile", "-", "--date", "2026-13-01"])
    assert stopped.value.code == 2
    assert "날짜는 YYYY-MM-DD 형식으로" in capsys.readouterr().err


def test_catalog_audit_lists_every_unverified_figure(run: Run) -> None:
    code, out, _ = run(["catalog", "audit"])
    assert code == 0
    lines = out.strip().splitlines()
    assert any(line.startswith("basic_pension: ") for line in lines)
    assert "확인이 필요한 수치" in lines[-1]
    assert all("출처 원문으로 확인하지 않음" in line for line in lines[:-1])


def test_match_from_file_in_korean_text(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"age": 70, "married": False, "monthly_income": 0}), "utf-8")
    code, out, _ = run(["match", "--profile", str(path)])
    assert code == 0
    assert "[받을 수 있는 지원]" in out and "기초연금" in out


def test_next_question_for_an_empty_profile(run: Run) -> None:
    code, out, _ = run(["match", "--profile", "-", "--json", "--next-question"], "{}")
    assert code == 0
    question = json.loads(out)
    assert question["field"] in {"age", "monthly_income", "household_size"}
    assert question["settles"] > 0 and question["question"].endswith("?")


def test_contradictory_profile_is_refused_politely(run: Run) -> None:
    facts = json.dumps({"lives_alone": True, "household_size": 4})
    code, out, err = run(["match", "--profile", "-", "--json"], facts)
    assert code == 2 and out == ""
    assert "확인해 주세요" in err


def test_broken_json_is_refused_politely(run: Run) -> None:
    code, _, err = run(["match", "--profile", "-"], "{age: 3")
    assert code == 2 and "JSON" in err


def test_catalog_validate_passes_on_the_curated_catalog(run: Run) -> None:
    code, out, err = run(["catalog", "validate"])
    assert code == 0, err
    assert "모두 통과" in out


def test_catalog_validate_reports_a_broken_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    catalog_dir = tmp_path / "programs"
    shutil.copytree(Settings().catalog_dir, catalog_dir)
    broken = catalog_dir / "basic_pension.yaml"
    broken.write_text(broken.read_text("utf-8").replace("min: 65", "min: 66"), "utf-8")
    monkeypatch.setenv("IEUM_CATALOG_DIR", str(catalog_dir))
    monkeypatch.setenv("IEUM_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    try:
        code, _, err = run(["catalog", "validate"])
    finally:
        get_settings.cache_clear()
    assert code == 1
    assert "basic_pension" in err


def test_import_gov24_writes_loadable_programs(tmp_path: Path, run: Run) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "gov24"
    files = sorted(str(p) for p in fixtures.glob("*.json"))
    out = tmp_path / "gov24"
    code, _, err = run(["catalog", "import-gov24", *files, "--out", str(out)])
    assert code == 0, err
    imported = load_catalog([out])
    assert len(imported) >= 8
    assert all(p.id.startswith("gov24_") and p.gov24_id for p in imported)
