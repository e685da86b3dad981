"""The retrieval index: passages, lexical signal, build, atomic swap, search, CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings, get_settings
from ieum.cli import main
from index.embedder import Embedder
from index.lexical import BigramBM25, bigrams
from index.passages import chunk_text, program_passages
from index.search import SearchService
from index.store import (
    build_index,
    current_index_path,
    embedder_identity,
    index_key,
    is_current,
    load_index,
)
from knowledge.catalog import Catalog, load_catalog


# --- pure parts ---------------------------------------------------------------------
def test_bigrams_survive_particles() -> None:
    assert set(bigrams("기초연금")) <= set(bigrams("기초연금은 얼마"))


def test_bm25_ranks_the_document_sharing_words_first() -> None:
    scorer = BigramBM25(["기초연금 어르신 연금", "아동수당 아이 수당", "청년 월세 지원"])
    scores = scorer.scores("아이 수당은 얼마예요")
    assert scores.index(max(scores)) == 1


def test_chunks_stay_under_the_limit_at_sentence_ends() -> None:
    text = " ".join(f"문장 {i}번입니다." for i in range(60))
    chunks = chunk_text(text, limit=100)
    assert len(chunks) > 1
    assert all(len(c) <= 100 for c in chunks)
    assert " ".join(chunks) == text


def test_every_passage_names_its_program(catalog: Catalog) -> None:
    program = catalog.get("basic_pension")
    assert program is not None
    passages = program_passages(program)
    assert all(p.program_id == "basic_pension" and "기초연금" in p.text for p in passages)


# --- with the real embedding model (fixtures in tests/index_fixtures.py) ---------------
def test_built_index_records_catalog_and_embedder(built_index_dir: Path, catalog: Catalog) -> None:
    path = current_index_path(built_index_dir)
    assert path is not None
    meta = load_index(path).meta
    assert meta.catalog_digest == catalog.digest
    assert meta.programs == len(catalog)
    assert meta.dim == 384
    assert is_current(built_index_dir, index_key(catalog.digest, embedder_identity(Settings())))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("기초연금 신청하려면 어디로 가요", "basic_pension"),
        ("생계급여 얼마 나와요", "basic_livelihood_living"),
    ],
)
def test_named_programs_come_first(
    built_index_dir: Path, embedder: Embedder, question: str, expected: str
) -> None:
    hits = SearchService(built_index_dir, embedder, 0.0, 64).search(question, 5)
    assert hits[0].program_id == expected
    assert len(hits) == 5
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_rebuild_swaps_atomically_and_readers_follow(
    tmp_path: Path, catalog: Catalog, embedder: Embedder
) -> None:
    index_dir = tmp_path / "index"
    small_dir = tmp_path / "programs"
    small_dir.mkdir()
    for program_id in ("basic_pension", "basic_livelihood_living"):
        shutil.copy(Settings().catalog_dir / f"{program_id}.yaml", small_dir)
    first = build_index(load_catalog([small_dir]), embedder, index_dir, "test-embedder")
    service = SearchService(index_dir, embedder, 0.0, 64)
    assert {h.program_id for h in service.search("연금", 5)} == {
        "basic_pension",
        "basic_livelihood_living",
    }

    (small_dir / "basic_livelihood_living.yaml").unlink()
    second = build_index(load_catalog([small_dir]), embedder, index_dir, "test-embedder")
    assert second != first
    assert current_index_path(index_dir) == second
    assert first.exists(), "the previous build stays for readers that have not reloaded"
    assert [h.program_id for h in service.search("연금", 5)] == ["basic_pension"]


# --- the command line -----------------------------------------------------------------
@pytest.fixture
def settings_with_index(
    built_index_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    (data_dir / "index").symlink_to(built_index_dir)
    models = Settings().models_dir
    (data_dir / "models").symlink_to(models)
    monkeypatch.setenv("IEUM_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("settings_with_index")
def test_search_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "기초연금 받을 수 있나요", "--k", "3", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3
    assert set(hits[0]) == {"id", "name", "score"}
    assert hits[0]["id"] == "basic_pension"


@pytest.mark.usefixtures("settings_with_index")
def test_search_command_reads_one_query_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text("기초연금 신청\n생계급여\n", encoding="utf-8")
    assert main(["search", "--file", str(queries), "--k", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(line)[0]["id"] for line in lines] == [
        "basic_pension",
        "basic_livelihood_living",
    ]


@pytest.mark.usefixtures("settings_with_index")
def test_build_command_skips_a_current_index(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", "build"]) == 0
    assert "최신" in capsys.readouterr().out


@pytest.mark.usefixtures("settings_with_index")
def test_empty_query_gets_a_polite_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "  "]) == 2
    assert "질문이 비어 있습니다" in capsys.readouterr().err
