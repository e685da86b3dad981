"""Program questions: named programs, and the real FAISS index with the real embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions import messages
from actions.programs import ActionAnswerProgram
from actions.services import ActionServices
from core.settings import Settings
from index.embedder import Embedder
from index.search import SearchService
from knowledge.catalog import Catalog
from tests.action_support import entity, make_services, make_tracker, payloads, run, texts


@pytest.fixture(scope="session")
def program_search(built_index_dir: Path, embedder: Embedder) -> SearchService:
    """Search over the session's curated-catalog index with the real embedding model."""
    settings = Settings()
    return SearchService(
        built_index_dir, embedder, settings.search_lexical_weight, settings.search_candidates
    )


@pytest.fixture
def services(catalog: Catalog, program_search: SearchService) -> ActionServices:
    return make_services(catalog, search=program_search)


@pytest.fixture
def named_services(catalog: Catalog) -> ActionServices:
    """Services for questions that name their program: no search is needed."""
    return make_services(catalog)


def assert_full_answer(
    text: str, catalog: Catalog, program_id: str, services: ActionServices
) -> None:
    program = catalog.get(program_id)
    assert program is not None
    checks = program.eligibility.office_checks
    amount = program.amount_on(services.today())
    expected = messages.program_answer(
        program,
        [messages.office_checks(checks)] if checks else [],
        figures_unverified=amount is not None and not program.source(amount.source).verified,
    )
    assert text == expected
    assert text.startswith(f"[{program.name}]\n{program.summary}")
    for part in ("· 대상: ", "· 지원 내용: ", "· 신청: ", "· 문의: ", "· 출처: "):
        assert part in text


async def test_a_program_button_answers_that_program(
    named_services: ActionServices, catalog: Catalog
) -> None:
    tracker = make_tracker(
        '/ask_program{"program":"basic_pension"}',
        "ask_program",
        [entity("program", "basic_pension")],
    )
    events, dispatcher = await run(ActionAnswerProgram(named_services), tracker)
    assert events == []
    assert_full_answer(texts(dispatcher)[0], catalog, "basic_pension", named_services)
    assert payloads(dispatcher) == ["/find_benefits"]


async def test_a_program_named_in_the_text_is_answered(
    named_services: ActionServices, catalog: Catalog
) -> None:
    tracker = make_tracker("기초 연금 어디서 신청해요", "ask_program")
    _, dispatcher = await run(ActionAnswerProgram(named_services), tracker)
    assert_full_answer(texts(dispatcher)[0], catalog, "basic_pension", named_services)


@pytest.mark.slow
async def test_a_described_program_is_found_in_the_index(
    services: ActionServices, catalog: Catalog, program_search: SearchService
) -> None:
    question = "치매 검사 받을 수 있는 곳"
    assert services.matcher.find(question) == [], "no program is named: the index must answer"
    hits = program_search.search(question, 3)
    assert hits[0].score - hits[2].score >= services.settings.program_choice_gap
    _, dispatcher = await run(ActionAnswerProgram(services), make_tracker(question, "ask_program"))
    assert_full_answer(texts(dispatcher)[0], catalog, hits[0].program_id, services)
    assert hits[0].program_id == "dementia_relief_center"


@pytest.mark.slow
async def test_close_scores_offer_the_top_three_as_buttons(
    services: ActionServices, program_search: SearchService
) -> None:
    question = "돈이 없어서 힘들어요"
    hits = program_search.search(question, 3)
    # The phrase must stay clearly above the answer threshold, or the test would only
    # show the "don't know" reply; a catalog change that lowers it needs a new phrase.
    assert hits[0].score >= services.settings.program_min_score + 0.01
    assert hits[0].score - hits[2].score < services.settings.program_choice_gap
    _, dispatcher = await run(ActionAnswerProgram(services), make_tracker(question, "ask_program"))
    assert texts(dispatcher) == [messages.WHICH_PROGRAM]
    assert payloads(dispatcher) == [f'/ask_program{{"program":"{hit.program_id}"}}' for hit in hits]
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [hit.name for hit in hits]


async def test_the_menu_button_asks_which_program(named_services: ActionServices) -> None:
    _, dispatcher = await run(
        ActionAnswerProgram(named_services), make_tracker("/ask_program", "ask_program")
    )
    assert texts(dispatcher) == [messages.ASK_WHICH_PROGRAM]


async def test_a_missing_index_is_said_plainly(
    catalog: Catalog, tmp_path: Path, embedder: Embedder
) -> None:
    empty = SearchService(tmp_path, embedder, 0.0, 64)
    services = make_services(catalog, search=empty)
    _, dispatcher = await run(
        ActionAnswerProgram(services), make_tracker("집수리 도와주는 곳 있나요", "ask_program")
    )
    assert texts(dispatcher) == [messages.SEARCH_UNAVAILABLE]
