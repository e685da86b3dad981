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
    ActionStopFinder,
    ActionUpdateFact,
    ValidateBenefitForm,
    next_question,
)
from actions.programs import ActionAnswerProgram
from actions.results import (
    BLOCK_SEPARATOR,
    SCREEN_CHARS,
    SCREEN_LINES,
    FinderResults,
    is_targeted,
    pack,
)
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
    "has_assets": False,
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


# --- assets ------------------------------------------------------------------------------
POOR_ELDER: dict[str, object] = {
    "age": 72,
    "household_size": 1,
    "lives_alone": True,
    "monthly_income": 300_000,
    "own_monthly_income": 300_000,
    "region": "서울",
}


async def test_no_assets_answers_every_asset_question_at_once(services: ActionServices) -> None:
    tracker = form_tracker("없어요", "has_assets", POOR_ELDER)
    events, _ = await run(ValidateBenefitForm(services), tracker)
    profile = CitizenProfile.parse(slot_changes(events)["profile"])
    assert profile.has_assets is False
    assert (profile.home_value, profile.financial_assets, profile.car_value) == (0, 0, 0)
    assert slot_changes(events)["pending_field"] not in {"home_value", "financial_assets"}


async def test_having_assets_leads_to_their_amounts(services: ActionServices) -> None:
    tracker = form_tracker("네 있어요", "has_assets", POOR_ELDER)
    events, _ = await run(ValidateBenefitForm(services), tracker)
    slots = slot_changes(events)
    assert slots["profile"]["has_assets"] is True
    asked = FIELDS[slots["pending_field"]]
    assert asked.kind == "amount", "the next question asks how much"
    assert asked.options, "amount questions come with buttons of round figures"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("전세 2억이에요", 200_000_000),
        ("보증금 오백만원", 5_000_000),
        ("1억 2천", 120_000_000),
        ("약 3천만 원", 30_000_000),
        ("없어요", 0),
    ],
)
async def test_a_home_value_is_read_as_a_lump_sum(
    services: ActionServices, text: str, expected: int
) -> None:
    facts = {**POOR_ELDER, "has_assets": True}
    events, _ = await run(ValidateBenefitForm(services), form_tracker(text, "home_value", facts))
    assert slot_changes(events)["profile"]["home_value"] == expected


async def test_not_knowing_an_amount_moves_on_without_it(services: ActionServices) -> None:
    facts = {**POOR_ELDER, "has_assets": True}
    tracker = form_tracker("잘 모르겠어요", "home_value", facts)
    events, _ = await run(ValidateBenefitForm(services), tracker)
    slots = slot_changes(events)
    assert "home_value" not in (slots.get("profile") or facts)
    assert slots["pending_field"] != "home_value", "the same question is not asked again"


async def test_a_monthly_figure_is_not_taken_for_a_home_value(services: ActionServices) -> None:
    facts = {**POOR_ELDER, "has_assets": True}
    tracker = form_tracker("월 30만 원이요", "home_value", facts)
    events, dispatcher = await run(ValidateBenefitForm(services), tracker)
    assert "home_value" not in (slot_changes(events).get("profile") or facts)
    assert texts(dispatcher), "the person is told what kind of answer is wanted"


async def test_the_question_cap_ends_the_form(services: ActionServices) -> None:
    cap = services.settings.benefit_question_cap
    tracker = form_tracker("73세", "age", {"household_size": 1}, asked=float(cap - 1))
    events, _ = await run(ValidateBenefitForm(services), tracker)
    slots = slot_changes(events)
    assert slots["answer"] == DONE
    assert slots["pending_field"] is None
    assert slots["questions_asked"] == cap


# --- results and corrections after the form --------------------------------------------
async def test_results_name_every_fitting_program_briefly_within_a_screen(
    services: ActionServices,
) -> None:
    tracker = make_tracker("", slots={"subject": "other", "profile": ELDERLY_ALONE})
    events, dispatcher = await run(ActionBenefitResults(services), tracker)
    said = texts(dispatcher)
    report = services.engine.match(CitizenProfile.parse(ELDERLY_ALONE), services.today())
    assert said[0].startswith(messages.RESULTS_HEADING_OTHER + "\n")
    listed = [
        line.split(". ", 1)[1].split(" — ")[0]
        for text in said
        for line in text.split("\n")
        if line[:1].isdigit()
    ]
    targeted = {r.program.name for r in report.eligible if is_targeted(r)}
    assert set(listed) == targeted, "every program aimed at the person is named"
    assert f"{len(listed)}가지" in said[0]
    for text in said:
        assert len(text) <= SCREEN_CHARS and text.count("\n") < SCREEN_LINES, text
        assert "http" not in text and "충족" not in text and "소득인정액" not in text
    open_line = next(t for t in said if "누구나 이용할 수 있는 곳" in t)
    for result in report.eligible:
        if not is_targeted(result):
            assert result.program.name in open_line
    maybe_block = next(b for t in said for b in t.split(BLOCK_SEPARATOR) if "[조건을" in b)
    maybe_by_name = {r.program.name: r for r in report.maybe}
    for line in maybe_block.split("\n")[1:]:
        name, settles = line.removeprefix("· ").split(": ")
        label = FIELDS[maybe_by_name[name].missing[0]].label
        assert settles.startswith(f"'{label}'") and settles.endswith("알면 확인할 수 있어요.")
    assert said[-1].endswith(messages.RESULTS_FOOTER)
    assert all(m["buttons"] == [] for m in dispatcher.messages[:-1]), "buttons come last"
    first = next(r for r in report.eligible if r.program.name == listed[0])
    assert f'/ask_program{{"program":"{first.program.id}"}}' in payloads(dispatcher)
    assert slot_changes(events) == {"results_shown": True, "pending_field": None, "answer": None}


async def test_results_rank_by_fit_not_money(services: ActionServices) -> None:
    """A retiree who does not work sees job programs last, whatever they pay."""
    profile = {**ELDERLY_ALONE, "monthly_income": 400_000, "employment": "none"}
    report = services.engine.match(CitizenProfile.parse(profile), services.today())
    ranked = FinderResults.of(report, CitizenProfile.parse(profile)).targeted
    categories = [r.program.category for r in ranked]
    assert "고용" in categories
    assert categories.index("고용") > max(i for i, c in enumerate(categories) if c != "고용")
    assert ranked[0].program.id == "basic_livelihood_living"
    assert "basic_livelihood_medical" in {r.program.id for r in ranked}, "의료급여 is named"


async def test_what_the_person_receives_is_said_apart_not_offered_as_new(
    services: ActionServices,
) -> None:
    profile = {**ELDERLY_ALONE, "receives": ["basic_pension"]}
    tracker = make_tracker("", slots={"subject": "self", "profile": profile})
    _, dispatcher = await run(ActionBenefitResults(services), tracker)
    said = "\n".join(texts(dispatcher))
    assert messages.already_received(["기초연금"]) in said
    assert not any(line[:1].isdigit() and "기초연금" in line for line in said.split("\n"))
    assert '"program":"basic_pension"' not in str(payloads(dispatcher))


async def test_elders_are_not_shown_maternity_programs(services: ActionServices) -> None:
    profile = {"age": 71, "household_size": 2, "monthly_income": 900_000}
    tracker = make_tracker("", slots={"subject": "self", "profile": profile})
    _, dispatcher = await run(ActionBenefitResults(services), tracker)
    said = "\n".join(texts(dispatcher))
    assert "산모" not in said and "임신" not in said


async def test_a_near_miss_is_said_in_plain_words(services: ActionServices) -> None:
    """Income a little over 의료급여's line: the person hears about it, and by how much."""
    line = services.engine.medians.on(services.today()).line(2, 40)
    profile = {
        "age": 68,
        "household_size": 2,
        "monthly_income": line + 50_000,
        "has_assets": False,
        "employment": "none",
    }
    tracker = make_tracker("", slots={"subject": "self", "profile": profile})
    _, dispatcher = await run(ActionBenefitResults(services), tracker)
    said = "\n".join(texts(dispatcher))
    assert messages.NEAR_MISS_HEADING in said
    assert "· 의료급여: 소득이 기준보다 월 50,000원 많아요" in said


def test_results_are_packed_into_few_messages_within_a_screen() -> None:
    blocks = ["가" * 40, "나" * 40, "다" * 40, "라" * 150]
    assert pack(blocks, max_chars=100) == [
        "가" * 40 + BLOCK_SEPARATOR + "나" * 40,
        "다" * 40,
        "라" * 150,
    ]
    assert pack(blocks[:3], max_chars=1000) == [BLOCK_SEPARATOR.join(blocks[:3])]
    assert pack([]) == []
    many = "\n".join(f"{n}. 지원" for n in range(1, 31))
    parts = pack([many], max_lines=14)
    assert [part.count("\n") + 1 for part in parts] == [14, 14, 2]
    assert "\n".join(parts) == many


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
    assert "가지 있어요" not in said[0]
    assert messages.MAYBE_HEADING in said[0]
    assert said[0].endswith(messages.RESULTS_FOOTER)
    assert payloads(dispatcher), "the programs to ask about are buttons"


async def test_a_program_button_after_results_says_why_it_fits(services: ActionServices) -> None:
    tracker = make_tracker(
        '/ask_program{"program":"basic_pension"}',
        "ask_program",
        [entity("program", "basic_pension")],
        slots={"subject": "self", "profile": ELDERLY_ALONE, "results_shown": True},
    )
    _, dispatcher = await run(ActionAnswerProgram(services), tracker)
    pension = texts(dispatcher)[0]
    assert "· 맞는 이유: " in pension
    assert "만 65세 이상: 맞아요 (만 73세)" in pension
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
    assert not any(". 기초연금" in t for t in said), "64 is too young for 기초연금"
    assert any("· 기초연금: 1년 뒤면 나이 조건에 맞아요" in t for t in said), "a near miss"


async def test_a_message_without_a_fact_outside_the_form_is_answered_as_a_question(
    services: ActionServices,
) -> None:
    tracker = make_tracker(
        "운전면허 갱신은 어디서 해요", "inform", slots={"profile": ELDERLY_ALONE}
    )
    events, dispatcher = await run(ActionUpdateFact(services), tracker)
    assert events == [], "nothing about the person changes"
    assert texts(dispatcher) == [messages.UNKNOWN_TOPIC]


async def test_a_fact_said_again_outside_the_form_changes_nothing(
    services: ActionServices,
) -> None:
    said_again = f"{ELDERLY_ALONE['age']}세예요"
    tracker = make_tracker(said_again, "inform", slots={"profile": ELDERLY_ALONE})
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
    "own_monthly_income": "월 80만원",
    "has_assets": "있어요",
    "home_value": "보증금 500만 원",
    "financial_assets": "300만 원쯤",
    "car_value": "없어요",
    "other_property_value": "없어요",
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
    assert asked[0] == "monthly_income", "the fact that settles most programs comes first"
    assert {"age", "household_size"} <= set(asked)
    await dialogue.act(ActionBenefitResults(services))
    assert dialogue.said[0].startswith(messages.RESULTS_HEADING_OTHER)
    assert any(". 기초연금 — " in text for text in dialogue.said)
    assert dialogue.slots["results_shown"] is True


# --- ways out, answers as people say them, facts told in passing -------------------------
def span(name: str, text: str, part: str) -> dict[str, Any]:
    """An entity as the extractor found it: ``part`` of ``text``, with its offsets."""
    start = text.index(part)
    return {"entity": name, "value": part, "start": start, "end": start + len(part)}


@pytest.mark.parametrize(
    ("text", "cut", "age"),
    [("일흔둘이요", "일흔", 72), ("여든두살", "여든", 82), ("예순다섯이에요", "예순", 65)],
)
async def test_a_numeral_cut_by_the_extractor_is_read_whole(
    services: ActionServices, text: str, cut: str, age: int
) -> None:
    entities = [span("age", text, cut)]
    if "둘" in text:
        entities.append(span("household_size", text, "둘"))
    tracker = form_tracker(text, "age", {}, entities=entities)
    events, _ = await run(ValidateBenefitForm(services), tracker)
    assert slot_changes(events)["profile"] == {"age": age}


@pytest.mark.parametrize(
    "text", ["아무것도 안 받아요", "그런 건 없어요", "해당없어", "받는 거 없어요"]
)
async def test_none_as_people_say_it_answers_a_list_question(
    services: ActionServices, text: str
) -> None:
    tracker = form_tracker(text, "receives", {"age": 73})
    events, dispatcher = await run(ValidateBenefitForm(services), tracker)
    assert slot_changes(events)["profile"] == {"age": 73, "receives": []}
    assert not any(messages.NOT_UNDERSTOOD in t for t in texts(dispatcher))


async def test_a_grandmother_describing_herself_is_asked_about_herself(
    services: ActionServices,
) -> None:
    tracker = make_tracker("나 혼자 사는 할머니인데 받을 수 있는 거 있어", "find_benefits")
    events, dispatcher = await run(ActionBenefitIntake(services), tracker)
    assert slot_changes(events)["subject"] == "self"
    assert texts(dispatcher)[0] == messages.INTAKE_SELF


async def test_facts_told_before_the_finder_are_kept(services: ActionServices) -> None:
    dialogue = Dialogue()
    said = "저 73세고 혼자 살고 월 40만원 받아요"
    dialogue.say(said, "inform", [span("age", said, "73세"), span("money", said, "40만원")])
    await dialogue.act(ActionUpdateFact(services))
    assert dialogue.slots["subject"] == "self"
    dialogue.say("지원 찾아 주세요", "find_benefits")
    await dialogue.act(ActionBenefitIntake(services))
    profile = dialogue.slots["profile"]
    assert (profile["age"], profile["monthly_income"], profile["lives_alone"]) == (
        73,
        400_000,
        True,
    )
    assert dialogue.slots["pending_field"] not in ("age", "monthly_income", "lives_alone")


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("엄마 심한 장애 있으세요", {"disability": "severe"}),
        ("아버지 월세 사세요", {"housing": "rent"}),
        ("어머니 기초연금 받으세요", {"receives": ["basic_pension"]}),
        ("이제 은퇴해서 일 안 해요", {"employment": "none"}),
    ],
)
async def test_a_fact_told_after_the_results_is_understood(
    services: ActionServices, text: str, fact: dict[str, object]
) -> None:
    tracker = make_tracker(
        text, "inform", slots={"subject": "other", "profile": ELDERLY_ALONE, "results_shown": True}
    )
    events, dispatcher = await run(ActionUpdateFact(services), tracker)
    assert slot_changes(events)["profile"] == {**ELDERLY_ALONE, **fact}
    assert messages.NOTHING_TO_CHANGE not in texts(dispatcher)


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("어머니 전세 2억에 사세요", "2억"),
        ("월세 30만원 내고 살아요", "30만원"),
        ("예금이 천만원 있어요", "천만원"),
    ],
)
async def test_a_sum_held_or_paid_is_not_taken_for_income(
    services: ActionServices, text: str, money: str
) -> None:
    tracker = make_tracker(
        text,
        "inform",
        [entity("money", money)],
        slots={"subject": "other", "profile": ELDERLY_ALONE, "results_shown": True},
    )
    events, _ = await run(ActionUpdateFact(services), tracker)
    profile = slot_changes(events).get("profile") or ELDERLY_ALONE
    assert profile["monthly_income"] == ELDERLY_ALONE["monthly_income"]


async def test_wishing_for_a_program_is_not_receiving_it(services: ActionServices) -> None:
    tracker = make_tracker("기초연금 받고 싶어요", "inform", slots={"profile": {"age": 70}})
    events, _ = await run(ActionUpdateFact(services), tracker)
    assert "profile" not in slot_changes(events)


@pytest.mark.parametrize("intent", ["cancel", "stop_checkins"])
async def test_cancel_stops_the_finder_and_keeps_what_was_said(intent: str) -> None:
    tracker = form_tracker("그만할래요", "household_size", {"age": 73})
    tracker.latest_message["intent"] = {"name": intent, "confidence": 0.9}
    events, dispatcher = await run(ActionStopFinder(), tracker)
    assert {"event": "active_loop", "timestamp": None, "name": None} in events
    changed = slot_changes(events)
    assert changed["pending_field"] is None and "profile" not in changed
    assert texts(dispatcher) == [messages.FINDER_STOPPED]
    assert "/find_benefits" in payloads(dispatcher), "the menu is the way on"


async def test_start_mid_form_starts_over() -> None:
    tracker = form_tracker('/greet{"start_payload":""}', "household_size", {"age": 73})
    tracker.latest_message["intent"] = {"name": "greet", "confidence": 1.0}
    events, dispatcher = await run(ActionStopFinder(), tracker)
    assert slot_changes(events)["profile"] is None
    assert texts(dispatcher) == [], "the greeting that follows says the rest"


async def test_six_digits_that_are_a_birth_date_never_become_an_income(
    services: ActionServices,
) -> None:
    tracker = form_tracker("800101", "monthly_income", {"age": 46})
    events, dispatcher = await run(ValidateBenefitForm(services), tracker)
    assert slot_changes(events) == {"answer": None}
    assert texts(dispatcher) == [messages.not_understood("monthly_income")]


async def test_a_button_answer_is_read_from_its_payload(services: ActionServices) -> None:
    """Rasa gives a payload's entities the offsets of the JSON part: not words to widen."""
    payload = '/inform{"choice":"none"}'
    choice = {"entity": "choice", "value": "none", "start": 7, "end": len(payload)}
    tracker = form_tracker(payload, "crisis", {"age": 73}, entities=[choice], answer="none")
    events, dispatcher = await run(ValidateBenefitForm(services), tracker)
    assert slot_changes(events)["profile"] == {"age": 73, "crisis": []}
    assert not any(messages.NOT_UNDERSTOOD in t for t in texts(dispatcher))


async def test_a_speaker_describing_herself_wins_over_the_relation_entity(
    services: ActionServices,
) -> None:
    text = "나 혼자 사는 할머니인데 받을 수 있는 거 있어"
    tracker = make_tracker(text, "find_benefits", [span("relation", text, "할머니")])
    events, _ = await run(ActionBenefitIntake(services), tracker)
    assert slot_changes(events)["subject"] == "self"
