"""The benefit finder actions, run without a Rasa server."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

import pytest
from rasa_sdk.interfaces import Tracker

from actions import messages
from actions.benefits import (
    DONE,
    ActionAskAnswer,
    ActionBenefitIntake,
    ActionBenefitResults,
    ActionUpdateFact,
    ValidateBenefitForm,
    next_question,
)
from actions.results import BLOCK_SEPARATOR, pack
from actions.services import ActionServices
from knowledge.catalog import Catalog
from knowledge.fields import FIELDS
from knowledge.profile import CitizenProfile
from tests.action_support import (
    Dialogue,
    entity,
    make_services,
    make_tracker,
    payloads,
    run,
    slot_changes,
    slot_event,
    texts,
)

ELDERLY_ALONE = {
    "age": 73,
    "household_size": 1,
    "lives_alone": True,
    "monthly_income": 800_000,
    "region": "서울특별시 강서구",
}


@pytest.fixture
def services(catalog: Catalog) -> ActionServices:
    return make_services(catalog)


def engine_field(services: ActionServices, facts: dict[str, object]) -> str:
    question = next_question(services, CitizenProfile.parse(facts), set())
    assert question is not None
    return question.field


# --- intake --------------------------------------------------------------------------
async def test_intake_about_mother_sets_other_and_harvests_facts(services: ActionServices) -> None:
    tracker = make_tracker(
        "어머니가 혼자 사시는데 받을 수 있는 복지 있을까요?",
        "find_benefits",
        [entity("relation", "어머니"), entity("household_size", "혼자")],
    )
    events, dispatcher = await run(ActionBenefitIntake(services), tracker)
    slots = slot_changes(events)
    assert slots["subject"] == "other"
    assert slots["profile"] == {"household_size": 1, "lives_alone": True}
    assert slots["pending_field"] == engine_field(services, slots["profile"])
    assert slots["answer"] is None
    assert slots["questions_asked"] == 0
    assert texts(dispatcher) == [messages.INTAKE_OTHER]


async def test_intake_without_relation_is_about_the_user(services: ActionServices) -> None:
    tracker = make_tracker("저 73세인데 받을 수 있는 지원 알려주세요", "find_benefits")
    events, _ = await run(ActionBenefitIntake(services), tracker)
    slots = slot_changes(events)
    assert slots["subject"] == "self"
    assert slots["profile"] == {"age": 73}


async def test_a_new_search_about_someone_else_starts_clean(services: ActionServices) -> None:
    tracker = make_tracker(
        "아버지 것도 알아봐 주세요",
        "find_benefits",
        [entity("relation", "아버지")],
        slots={"subject": "self", "profile": {"age": 30}, "results_shown": True},
    )
    events, _ = await run(ActionBenefitIntake(services), tracker)
    assert slot_changes(events)["profile"] == {}


# --- asking ---------------------------------------------------------------------------
async def test_ask_answer_asks_the_pending_question_with_buttons(
    services: ActionServices,
) -> None:
    tracker = make_tracker(
        "어머니 혼자 사세요", slots={"subject": "other", "pending_field": "housing"}
    )
    events, dispatcher = await run(ActionAskAnswer(services), tracker)
    assert events == []
    assert texts(dispatcher) == [FIELDS["housing"].about_other]
    expected = [
        "/inform" + json.dumps({"choice": value}, ensure_ascii=False, separators=(",", ":"))
        for _, value in FIELDS["housing"].options
    ]
    assert payloads(dispatcher) == [*expected, '/inform{"choice":"unknown"}']
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles[-1] == messages.DONT_KNOW_BUTTON


async def test_ask_answer_without_pending_field_asks_the_engine(services: ActionServices) -> None:
    tracker = make_tracker("지원 찾아줘", slots={"subject": "self", "profile": {}})
    events, dispatcher = await run(ActionAskAnswer(services), tracker)
    field = engine_field(services, {})
    assert slot_changes(events) == {"pending_field": field}
    assert texts(dispatcher) == [FIELDS[field].about_self]


async def test_an_ambiguous_region_is_asked_again_with_the_places(
    services: ActionServices,
) -> None:
    tracker = make_tracker("강서구요", slots={"pending_field": "region"})
    _, dispatcher = await run(ActionAskAnswer(services), tracker)
    assert texts(dispatcher) == [messages.WHICH_REGION]
    assert '/inform{"choice":"서울특별시 강서구"}' in payloads(dispatcher)
    assert '/inform{"choice":"부산광역시 강서구"}' in payloads(dispatcher)


# --- validating answers -----------------------------------------------------------------
def form_tracker(
    text: str,
    pending: str,
    profile: dict[str, object],
    *,
    entities: Sequence[dict[str, Any]] = (),
    asked: float = 1.0,
    answer: str | None = None,
) -> Tracker:
    """The tracker the form validator sees: the answer slot just extracted from ``text``."""
    slots = {
        "subject": "self",
        "profile": profile,
        "pending_field": pending,
        "questions_asked": asked,
        "requested_slot": "answer",
    }
    return make_tracker(
        text,
        "inform",
        entities,
        slots=slots,
        history=[slot_event("pending_field", pending)],
        trailing=[slot_event("answer", text if answer is None else answer)],
    )


async def test_form_activation_does_not_complain_before_any_answer(
    services: ActionServices,
) -> None:
    """The intake clears the answer slot; validating that clearing must say nothing."""
    tracker = make_tracker(
        "어머니가 혼자 사시는데 받을 수 있는 지원 있나요",
        "find_benefits",
        (),
        slots={"subject": "other", "profile": {}, "pending_field": "age", "requested_slot": None},
        history=[slot_event("pending_field", "age")],
        trailing=[slot_event("answer", None)],
    )
    events, dispatcher = await run(ValidateBenefitForm(services), tracker)
    assert texts(dispatcher) == []
    assert "profile" not in slot_changes(events)


@pytest.mark.parametrize(
    ("pending", "text", "facts"),
    [
        ("age", "일흔셋이요", {"age": 73}),
        ("monthly_income", "월 80만원", {"monthly_income": 800_000}),
        ("household_size", "혼자 살아요", {"household_size": 1, "lives_alone": True}),
    ],
)
async def test_a_free_answer_fills_the_profile(
    services: ActionServices, pending: str, text: str, facts: dict[str, object]
) -> None:
    events, dispatcher = await run(ValidateBenefitForm(services), form_tracker(text, pending, {}))
    slots = slot_changes(events)
    assert slots["profile"] == facts
    assert slots["questions_asked"] == 2
    assert slots["answer"] is None
    assert slots["pending_field"] == engine_field(services, facts)
    assert slots["pending_field"] != pending
    assert texts(dispatcher) == [], "a good answer needs no echo"


async def test_a_button_answer_is_read_from_the_choice_entity(services: ActionServices) -> None:
    tracker = form_tracker(
        '/inform{"choice":"false"}',
        "lives_alone",
        {"age": 70},
        entities=[entity("choice", "false")],
        answer="false",
    )
    events, _ = await run(ValidateBenefitForm(services), tracker)
    assert slot_changes(events)["profile"] == {"age": 70, "lives_alone": False}


async def test_an_unreadable_answer_is_asked_again_and_changes_nothing(
    services: ActionServices,
) -> None:
    tracker = form_tracker("파란색이요", "age", {"household_size": 2})
    events, dispatcher = await run(ValidateBenefitForm(services), tracker)
    assert slot_changes(events) == {"answer": None}
    assert texts(dispatcher) == [messages.not_understood("age")]
    _, asked = await run(ActionAskAnswer(services), tracker)
    assert texts(asked) == [FIELDS["age"].about_self]


async def test_dont_know_moves_on_without_changing_the_profile(services: ActionServices) -> None:
    tracker = form_tracker(
        "unknown",
        "monthly_income",
        {"age": 73},
        entities=[entity("choice", "unknown")],
    )
    events, dispatcher = await run(ValidateBenefitForm(services), tracker)
    slots = slot_changes(events)
    assert slots["profile"] == {"age": 73}
    assert slots["pending_field"] not in (None, "monthly_income")
    assert slots["questions_asked"] == 2
    assert texts(dispatcher) == [messages.SKIPPED]


@pytest.mark.parametrize(
    "typed",
    [
        "잘 모르겠어요",
        "몰러",
        "기억이 잘 안 나요",
        "헷갈려요",
        "확실하진 않아요",
        "아들한테 물어봐야 돼요",
        "그건 패스할게요",
        "대답하기 곤란해요",
        "말하기 좀 그래요",
    ],
)
async def test_a_typed_dont_know_or_refusal_skips_the_question(
    services: ActionServices, typed: str
) -> None:
    tracker = form_tracker(typed, "monthly_income", {"age": 73})
    events, dispatcher = await run(ValidateBenefitForm(services), tracker)
    slots = slot_changes(events)
    assert slots["profile"] == {"age": 73}
    assert slots["pending_field"] not in (None, "monthly_income")
    assert texts(dispatcher) == [messages.SKIPPED]


async def test_a_correction_of_another_field_mid_form(services: ActionServices) -> None:
    tracker = form_tracker(
        "아 나이는 72세예요",
        "monthly_income",
        {"age": 73, "household_size": 1, "lives_alone": True},
        entities=[entity("age", "72세")],
    )
    events, dispatcher = await run(ValidateBenefitForm(services), tracker)
    slots = slot_changes(events)
    assert slots["profile"] == {"age": 72, "household_size": 1, "lives_alone": True}
    assert slots["questions_asked"] == 1, "a correction is not an answer"
    assert slots["answer"] is None
    assert slots["pending_field"] == "monthly_income"
    assert texts(dispatcher) == [messages.fact_changed("나이", "만 72세")]


async def test_a_newer_fact_replaces_the_one_it_contradicts(services: ActionServices) -> None:
    tracker = form_tracker("셋이요", "household_size", {"age": 40, "lives_alone": True})
    events, dispatcher = await run(ValidateBenefitForm(services), tracker)
    assert slot_changes(events)["profile"] == {
        "age": 40,
        "household_size": 3,
        "lives_alone": False,
    }
    assert texts(dispatcher) == []


async def test_an_honorific_verb_is_not_read_as_an_age(services: ActionServices) -> None:
    """'사세요' (lives) once read as 4세 and turned a 73-year-old into a child."""
    tracker = form_tracker(
        "혼자 사세요", "household_size", {"age": 73}, entities=[entity("age", "사세")]
    )
    events, dispatcher = await run(ValidateBenefitForm(services), tracker)
    assert slot_changes(events)["profile"] == {"age": 73, "household_size": 1, "lives_alone": True}
    assert not any("나이" in text for text in texts(dispatcher))


async def test_the_question_cap_ends_the_form(services: ActionServices) -> None:
    tracker = form_tracker("73세", "age", {"household_size": 1}, asked=5.0)
    events, _ = await run(ValidateBenefitForm(services), tracker)
    slots = slot_changes(events)
    assert slots["answer"] == DONE
    assert slots["pending_field"] is None
    assert slots["questions_asked"] == 6


# --- results and corrections after the form --------------------------------------------
async def test_results_list_eligible_first_then_maybe_with_the_settling_fact(
    services: ActionServices,
) -> None:
    tracker = make_tracker("", slots={"subject": "other", "profile": ELDERLY_ALONE})
    events, dispatcher = await run(ActionBenefitResults(services), tracker)
    said = texts(dispatcher)
    assert len(said) == 2, "what can be received, then what is still open with the buttons"
    found, still_open = (text.split(BLOCK_SEPARATOR) for text in said)
    assert found[0] == messages.RESULTS_HEADING_OTHER
    assert found[1] == messages.ELIGIBLE_HEADING
    first = found[2]
    assert first.startswith("1. ")
    assert "· 이유: " in first and "충족" in first
    assert "· 지원: " in first
    assert "· 신청: " in first
    report = services.engine.match(CitizenProfile.parse(ELDERLY_ALONE), services.today())
    detailed = [block.split("\n")[0][3:] for block in found if block[:1].isdigit()]
    assert detailed and set(detailed) <= {r.program.name for r in report.eligible}
    maybe_block, footer = still_open
    assert maybe_block.startswith(messages.MAYBE_HEADING)
    maybe_by_name = {r.program.name: r for r in report.maybe}
    for line in maybe_block.split("\n")[1:]:
        name, settles = line.removeprefix("· ").split(": ")
        label = FIELDS[maybe_by_name[name].missing[0]].label
        assert settles.startswith(f"'{label}'") and settles.endswith("알면 확인할 수 있어요.")
    assert footer == messages.RESULTS_FOOTER
    assert dispatcher.messages[0]["buttons"] == [], "the buttons come with the last message"
    shown = [r.program.id for r in report.eligible if r.program.name in detailed]
    assert f'/ask_program{{"program":"{shown[0]}"}}' in payloads(dispatcher)
    assert slot_changes(events) == {"results_shown": True, "pending_field": None, "answer": None}


def test_results_are_packed_into_few_messages_below_the_length_limit() -> None:
    blocks = ["가" * 40, "나" * 40, "다" * 40, "라" * 150]
    assert pack(blocks, max_chars=100) == [
        "가" * 40 + BLOCK_SEPARATOR + "나" * 40,
        "다" * 40,
        "라" * 150,
    ]
    assert pack(blocks[:3], max_chars=1000) == [BLOCK_SEPARATOR.join(blocks[:3])]
    assert pack([]) == []


async def test_results_with_nothing_eligible_are_one_message(catalog: Catalog) -> None:
    unknown = CitizenProfile.parse({})
    full = make_services(catalog)
    only_maybe = tuple(r.program for r in full.engine.match(unknown, full.today()).maybe)
    services = make_services(dataclasses.replace(catalog, programs=only_maybe))
    tracker = make_tracker("", slots={"subject": "self", "profile": {}})
    _, dispatcher = await run(ActionBenefitResults(services), tracker)
    said = texts(dispatcher)
    assert len(said) == 1, "the heading alone is no message of its own"
    assert said[0].startswith(messages.RESULTS_HEADING_SELF + BLOCK_SEPARATOR)
    assert messages.ELIGIBLE_HEADING not in said[0]
    assert messages.MAYBE_HEADING in said[0]
    assert said[0].endswith(messages.RESULTS_FOOTER)
    assert payloads(dispatcher), "the programs to ask about are buttons"


async def test_results_reasons_come_from_the_engine(services: ActionServices) -> None:
    tracker = make_tracker("", slots={"subject": "self", "profile": ELDERLY_ALONE})
    _, dispatcher = await run(ActionBenefitResults(services), tracker)
    pension = next(t for t in texts(dispatcher) if "기초연금\n" in t)
    assert "만 65세 이상: 충족 (만 73세)" in pension
    assert "주소지 읍면동 행정복지센터" in pension


async def test_a_fact_given_after_the_results_updates_them(services: ActionServices) -> None:
    tracker = make_tracker(
        "아 엄마 나이가 64세예요",
        "inform",
        [entity("age", "64세")],
        slots={"subject": "other", "profile": ELDERLY_ALONE, "results_shown": True},
    )
    events, dispatcher = await run(ActionUpdateFact(services), tracker)
    assert slot_changes(events)["profile"] == {**ELDERLY_ALONE, "age": 64}
    said = texts(dispatcher)
    assert said[0] == messages.fact_changed("나이", "만 64세")
    assert said[1].startswith(messages.RESULTS_HEADING_OTHER)
    assert not any("기초연금\n" in t for t in said), "64 is too young for 기초연금"


async def test_an_unreadable_fact_outside_the_form_changes_nothing(
    services: ActionServices,
) -> None:
    tracker = make_tracker("그게 말이죠", "inform", slots={"profile": ELDERLY_ALONE})
    events, dispatcher = await run(ActionUpdateFact(services), tracker)
    assert events == []
    assert texts(dispatcher) == [messages.NOTHING_TO_CHANGE]


async def test_a_masked_resident_number_alone_gets_no_second_notice(
    services: ActionServices,
) -> None:
    """The bot has told the user not to send the number; the action adds nothing."""
    masked = "******-*******"
    tracker = make_tracker(
        masked, "inform", slots={"profile": ELDERLY_ALONE}, metadata={"rrn_masked": True}
    )
    events, dispatcher = await run(ActionUpdateFact(services), tracker)
    assert events == []
    assert texts(dispatcher) == []


# --- a whole search ---------------------------------------------------------------------
ANSWERS = {
    "age": "일흔셋이요",
    "monthly_income": "월 80만원",
    "household_size": "혼자 살아요",
    "region": "서울 강서구",
    "lives_alone": "네",
    "crisis": "없어요",
    "situations": "none",
    "receives": "없어요",
    "employment": "일 안 해요",
    "disability": "없어요",
    "housing": "월세",
    "married": "아니요",
    "owns_home": "없어요",
}


async def test_a_whole_search_from_intake_to_results(services: ActionServices) -> None:
    dialogue = Dialogue()
    dialogue.say(
        "어머니 받을 수 있는 지원 찾아주세요", "find_benefits", [entity("relation", "어머니")]
    )
    await dialogue.act(ActionBenefitIntake(services))
    await dialogue.act(ActionAskAnswer(services))
    asked: list[str] = []
    while dialogue.slots["answer"] != DONE:
        field = dialogue.slots["pending_field"]
        asked.append(field)
        assert dialogue.said[-1] == FIELDS[field].about_other
        dialogue.say(ANSWERS[field], extracted={"answer": ANSWERS[field]})
        await dialogue.act(ValidateBenefitForm(services))
        if dialogue.slots["answer"] is None:
            await dialogue.act(ActionAskAnswer(services))
    assert len(asked) <= services.settings.benefit_question_cap
    assert asked[:3] == ["monthly_income", "age", "household_size"]
    await dialogue.act(ActionBenefitResults(services))
    assert dialogue.said[0].startswith(messages.RESULTS_HEADING_OTHER)
    assert any("기초연금\n" in text for text in dialogue.said)
    assert dialogue.slots["results_shown"] is True
