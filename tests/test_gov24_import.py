"""The 보조금24 importer: JA code mapping, joins, region/provider, writing and the engine."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from knowledge.catalog import load_catalog
from knowledge.engine import EligibilityEngine
from knowledge.importers.gov24 import (
    DEFAULT_CATEGORY,
    Gov24FormatError,
    Gov24Import,
    category_for,
    conditions_rule,
    import_gov24,
    program_id_for,
    provider_and_region,
    run_import,
    split_contact,
    split_documents,
    write_programs,
)
from knowledge.income import load_median_income
from knowledge.profile import CitizenProfile
from knowledge.recognition import load_schemes
from knowledge.schema import (
    CATALOG_TEST_DATE,
    NATIONWIDE,
    AgeRule,
    AllOf,
    AnyOf,
    ChildRule,
    Condition,
    DisabilityRule,
    EmploymentRule,
    FlagRule,
    IncomeMedianRule,
    Program,
    SexRule,
)

FIXTURES = Path(__file__).parent / "fixtures" / "gov24"
FIXTURE_FILES = sorted(FIXTURES.glob("*.json"))
CHECKED = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def imported() -> Gov24Import:
    return import_gov24(FIXTURE_FILES, CHECKED)


@pytest.fixture(scope="module")
def programs(imported: Gov24Import) -> dict[str, Program]:
    return {p.gov24_id or "": p for p in imported.programs}


def _conditions(*yes: str, low: object = None, high: object = None) -> dict[str, object]:
    """A supportConditions row as the API returns it: every code present, most null."""
    row: dict[str, object] = {"서비스ID": "T1", "JA0110": low, "JA0111": high}
    row.update(dict.fromkeys(("JA0101", "JA0102", "JA0201", "JA0205", "JA0313", "JA0404")))
    row.update(dict.fromkeys(yes, "Y"))
    return row


def _rule(*yes: str, low: object = None, high: object = None) -> Condition | None:
    return conditions_rule(_conditions(*yes, low=low, high=high))[0]


def _notes(*yes: str) -> list[str]:
    return conditions_rule(_conditions(*yes))[1]


# --- reading and joining --------------------------------------------------------------
def test_fixture_pages_become_programs(imported: Gov24Import) -> None:
    assert imported.files == 3
    assert imported.service_rows == 24  # 13 list rows + 11 detail rows
    assert imported.condition_rows == 11
    assert sorted(p.id for p in imported.programs) == [
        "gov24_105100000005",
        "gov24_135200000013",
        "gov24_143000000007",
        "gov24_149200000101",
        "gov24_3150000_0042",
        "gov24_3330000_0077",
        "gov24_6110000_0301",
        "gov24_6410000_0110",
        "gov24_7010000_0012",
        "gov24_b55200000011",
        "gov24_wlf0000000004",
    ]
    assert all(p.tests == [] for p in imported.programs)


def test_rows_without_id_or_name_are_skipped_and_counted(imported: Gov24Import) -> None:
    assert sorted(imported.skipped, key=str) == sorted(
        [
            ("서비스ID 없음", None),
            ("서비스명 없음", "SVC-NONAME-8"),
            ("목록·상세 자료 없이 지원조건만 있음", "999999999999"),
        ],
        key=str,
    )


def test_program_id_is_lowercased_with_underscores() -> None:
    assert program_id_for("3150000-0042") == "gov24_3150000_0042"
    assert program_id_for(" B55200000011 ") == "gov24_b55200000011"
    assert program_id_for("SD.00-1") == "gov24_sd_00_1"


def test_detail_text_wins_but_list_only_values_survive(programs: dict[str, Program]) -> None:
    living = programs["149200000101"]
    assert "주민등록상 국내 거주자" in living.eligibility.text  # only in serviceDetail
    assert living.summary == "소득이 적은 가구의 생계비 부족분을 보충합니다."  # only in serviceList
    assert living.apply.where == "주소지 읍면동 행정복지센터"  # 접수기관명 beats 접수기관
    assert living.description.startswith("지원대상: ○ 가구 소득인정액이")
    assert "지원내용: ○ 가구원 수에 따라" in living.description
    # serviceDetail has 지원대상 null for this one: the list's text stays.
    assert programs["3150000-0042"].eligibility.text.startswith("강서구에 사는 만 65세")


def test_apply_contact_and_source_fields(programs: dict[str, Program]) -> None:
    living = programs["149200000101"]
    assert living.apply.documents == [
        "사회보장급여 신청서",
        "신분증",
        "통장 사본",
        "임대차계약서(전월세인 경우, 사본 가능)",
    ]
    assert living.apply.online_url == "https://www.bokjiro.go.kr"
    assert living.apply.steps == "신청방법: 방문신청, 온라인신청(복지로) / 신청기한: 상시신청"
    assert (living.contact.name, living.contact.phone) == ("보건복지상담센터", "129")
    assert "다른 문의처: 보건복지부 기초생활보장과/044-000-0101" in living.notes
    source = living.sources[0]
    assert source.url == "https://www.gov.kr/portal/rcvfvrSvc/dtlEx/149200000101"
    assert source.checked is None, "imported by machine, checked by nobody"
    assert str(CHECKED) in (source.note or "")
    assert source.note is not None and "2026-09-10" in source.note
    assert living.gov24_id == "149200000101"
    # A host without a scheme gets https://; "해당없음" means no documents.
    assert programs["3330000-0077"].apply.online_url == "https://www.suyeong.example.go.kr/apply"
    assert programs["WLF0000000004"].apply.documents == []
    # No serviceDetail row: 접수기관 and 전화문의 from the list.
    safety = programs["135200000013"]
    assert safety.apply.where == "시군구 안전총괄과"
    assert safety.contact.phone == "044-000-8888"


def test_split_documents_and_contacts() -> None:
    assert split_documents("1. 신청서\r\n2. 등본(세대원, 1개월 이내), 통장||해당없음") == [
        "신청서",
        "등본(세대원, 1개월 이내)",
        "통장",
    ]
    assert split_documents(None) == []
    assert split_contact("0079에듀콜/1544-0079") == ("0079에듀콜", "1544-0079")
    assert split_contact("1357") == (None, "1357")
    assert split_contact("주민센터 문의") == ("주민센터 문의", None)


def test_bare_lists_single_rows_and_mixed_files_are_accepted(tmp_path: Path) -> None:
    service = {"서비스ID": "X-1", "서비스명": "시험 서비스", "소관기관명": "경상남도 창원시"}
    conditions = {"서비스ID": "X-1", "서비스명": "시험 서비스", "JA0404": "Y"}
    detail = {"서비스ID": "X-1", "구비서류": "신분증", "문의처": "창원시청/055-000-0000"}
    (tmp_path / "list.json").write_text(json.dumps([service, conditions]), encoding="utf-8")
    (tmp_path / "detail.json").write_text(json.dumps(detail), encoding="utf-8")
    result = import_gov24([tmp_path / "list.json", tmp_path / "detail.json"], CHECKED)
    [program] = result.programs
    assert program.region == "경상남도 창원시"
    assert program.apply.documents == ["신분증"]
    assert program.eligibility.rule == FlagRule(
        kind="flag", text="1인 가구(혼자 삶)", field="lives_alone", value=True
    )


@pytest.mark.parametrize("content", ["not json", '{"data": "nope"}', "[1, 2]"])
def test_files_that_are_not_pages_are_rejected(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(Gov24FormatError):
        import_gov24([path], CHECKED)


# --- JA codes -------------------------------------------------------------------------
def test_sex_only_when_exactly_one_is_marked() -> None:
    assert _rule("JA0102") == SexRule(kind="sex", text="여성", values=["f"])
    assert _rule("JA0101") == SexRule(kind="sex", text="남성", values=["m"])
    assert _rule("JA0101", "JA0102") is None


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (18, 34, AgeRule(kind="age", text="만 18세 이상 34세 이하", min=18, max=34)),
        (65, 150, AgeRule(kind="age", text="만 65세 이상", min=65)),
        ("19", None, AgeRule(kind="age", text="만 19세 이상", min=19)),
        (0, 39, AgeRule(kind="age", text="만 39세 이하", max=39)),
        (0, 150, None),
        (0, 0, None),
        (None, None, None),
    ],
)
def test_age_range(low: object, high: object, expected: Condition | None) -> None:
    assert _rule(low=low, high=high) == expected


def test_child_age_range_also_accepts_a_parent_with_such_a_child() -> None:
    assert _rule(low=3, high=5) == AnyOf(
        kind="any",
        of=[
            AgeRule(kind="age", text="만 3세 이상 5세 이하", min=3, max=5),
            ChildRule(kind="child", text="만 3세~5세 자녀가 있음", min_age=3, max_age=5),
        ],
    )


def test_inverted_age_range_is_a_note_not_a_rule() -> None:
    rule, notes = conditions_rule(_conditions(low=70, high=20))
    assert rule is None
    assert any("만 70세~20세" in note for note in notes)


@pytest.mark.parametrize(
    ("yes", "percent"),
    [
        (("JA0201",), 50),
        (("JA0201", "JA0202"), 75),
        (("JA0201", "JA0203"), 100),  # the highest band counts, gaps do not matter
        (("JA0203",), 100),
        (("JA0201", "JA0202", "JA0203", "JA0204"), 200),
    ],
)
def test_income_bands_use_the_highest_selected(yes: tuple[str, ...], percent: int) -> None:
    assert _rule(*yes) == IncomeMedianRule(
        kind="income_median",
        text=f"가구 소득인정액이 기준중위소득 {percent}% 이하",
        max_percent=percent,
        source="gov24",
        recognition="livelihood",
    )


@pytest.mark.parametrize(
    "yes",
    [
        ("JA0204", "JA0205"),
        ("JA0205",),
        ("JA0201", "JA0202", "JA0203", "JA0204", "JA0205"),
        (),
    ],
)
def test_no_income_rule_with_the_over_200_band_or_no_band(yes: tuple[str, ...]) -> None:
    assert _rule(*yes) is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "JA0403",
            FlagRule(kind="flag", text="한부모·조손 가구", field="single_parent", value=True),
        ),
        (
            "JA0404",
            FlagRule(kind="flag", text="1인 가구(혼자 삶)", field="lives_alone", value=True),
        ),
        (
            "JA0412",
            FlagRule(
                kind="flag", text="무주택(집을 소유하지 않음)", field="owns_home", value=False
            ),
        ),
        ("JA0302", FlagRule(kind="flag", text="임신 중", field="pregnant", value=True)),
        ("JA0303", ChildRule(kind="child", text="출산·입양한 만 0세 자녀가 있음", max_age=0)),
        (
            "JA0328",
            DisabilityRule(kind="disability", text="등록 장애인", values=["mild", "severe"]),
        ),
    ],
)
def test_single_trait_codes(code: str, expected: Condition) -> None:
    assert _rule(code) == expected


@pytest.mark.parametrize(
    ("yes", "values"),
    [
        (("JA0326",), ["employed"]),
        (("JA0327",), ["unemployed"]),
        (("JA0326", "JA0327"), ["employed", "unemployed"]),
    ],
)
def test_employment_codes_make_one_rule(yes: tuple[str, ...], values: list[str]) -> None:
    rule = _rule(*yes)
    assert isinstance(rule, EmploymentRule)
    assert rule.values == values
    assert rule.text


def test_codes_of_one_group_are_alternatives_and_groups_all_apply() -> None:
    rule = _rule("JA0102", "JA0201", "JA0326", "JA0328", "JA0403", "JA0412")
    assert isinstance(rule, AllOf)
    sex, income, personal, household = rule.of
    assert isinstance(sex, SexRule) and isinstance(income, IncomeMedianRule)
    assert isinstance(personal, AnyOf)
    assert [type(c) for c in personal.of] == [EmploymentRule, DisabilityRule]
    assert isinstance(household, AnyOf)
    assert [c.field for c in household.of if isinstance(c, FlagRule)] == [
        "single_parent",
        "owns_home",
    ]


def test_unmappable_codes_are_notes_only() -> None:
    rule, notes = conditions_rule(_conditions("JA0313", "JA0315", "JA0411", "JA1101"))
    assert rule is None
    assert notes == [
        "보조금24 조건: 농업인",
        "보조금24 조건: 축산업인",
        "보조금24 조건: 다자녀 가구",
        "보조금24 조건: 예비창업자",
    ]


def test_a_group_with_an_unmappable_alternative_is_not_checked() -> None:
    # "장애인 or 국가보훈대상자": checking 장애인 alone would turn veterans away.
    rule, notes = conditions_rule(_conditions("JA0328", "JA0329", "JA0404"))
    assert rule == FlagRule(kind="flag", text="1인 가구(혼자 삶)", field="lives_alone", value=True)
    assert "보조금24 조건: 국가보훈대상자" in notes
    assert any(
        note.startswith("보조금24 대상(이 중 하나): 장애인, 국가보훈대상자") for note in notes
    )


def test_not_applicable_code_opens_its_group() -> None:
    assert conditions_rule(_conditions("JA0322", "JA0328", "JA0410", "JA0404")) == (None, [])


def test_missing_conditions_row_is_noted(programs: dict[str, Program]) -> None:
    safety = programs["135200000013"]
    assert safety.eligibility.rule is None
    assert any("지원조건 자료 없음" in note for note in safety.notes)


def test_fixture_rules(programs: dict[str, Program]) -> None:
    birth = programs["3330000-0077"].eligibility.rule
    assert isinstance(birth, AllOf)
    assert isinstance(birth.of[0], SexRule) and isinstance(birth.of[1], AnyOf)
    assert programs["105100000005"].eligibility.rule == AllOf(
        kind="all",
        of=[
            AgeRule(kind="age", text="만 19세 이상", min=19),
            FlagRule(
                kind="flag", text="무주택(집을 소유하지 않음)", field="owns_home", value=False
            ),
        ],
    )
    farming = programs["143000000007"]
    assert farming.eligibility.rule is None
    assert farming.notes == ["보조금24 조건: 농업인", "보조금24 조건: 축산업인"]
    every_leaf_has_text = [
        leaf.text
        for program in programs.values()
        if program.eligibility.rule is not None
        for leaf in _leaves(program.eligibility.rule)
    ]
    assert all(every_leaf_has_text)


def _leaves(condition: Condition) -> list[Condition]:
    if isinstance(condition, AllOf | AnyOf):
        return [leaf for child in condition.of for leaf in _leaves(child)]
    return [condition]


# --- provider, region, category -------------------------------------------------------
@pytest.mark.parametrize(
    ("organisation", "kind", "provider", "region"),
    [
        ("보건복지부", "중앙행정기관", "central", NATIONWIDE),
        ("한국장애인고용공단", "공공기관", "central", NATIONWIDE),
        ("서울특별시 강서구", "시군구", "local", "서울특별시 강서구"),
        ("부산광역시 수영구", "기초자치단체", "local", "부산광역시 수영구"),
        ("경기도", "광역시도", "local", "경기도"),
        ("서울특별시교육청", "교육청", "local", "서울특별시"),
        ("강원도 춘천시", "지방자치단체", "local", "강원특별자치도 춘천시"),
        ("서울 마포구", "", "local", "서울특별시 마포구"),
        ("(재)경기도일자리재단", "지방출자_출연기관", "local", "경기도"),
        ("(사)이웃사랑나눔", "민간기관", "private", NATIONWIDE),
        ("새로운기관", "", "central", NATIONWIDE),
    ],
)
def test_provider_and_region(organisation: str, kind: str, provider: str, region: str) -> None:
    assert provider_and_region({"소관기관명": organisation, "소관기관유형": kind})[:2] == (
        provider,
        region,
    )


def test_local_body_without_a_readable_region_stays_nationwide_with_a_note() -> None:
    provider, region, notes = provider_and_region(
        {"소관기관명": "용산구시설관리공단", "소관기관유형": "지방공기업"}
    )
    assert (provider, region) == ("local", NATIONWIDE)
    assert notes and "용산구시설관리공단" in notes[0]


def test_fixture_regions(programs: dict[str, Program]) -> None:
    assert programs["3150000-0042"].region == "서울특별시 강서구"
    assert programs["3150000-0042"].provider == "local"
    assert programs["6410000-0110"].region == "경기도"
    assert programs["149200000101"].region == NATIONWIDE
    assert programs["149200000101"].provider == "central"


@pytest.mark.parametrize(
    ("name", "field", "category"),
    [
        ("저소득 가구 생계비 보충 지원", "생활안정", "생계"),
        ("강서 어르신 안부 살핌", "보호·돌봄", "노인"),
        ("청년 구직 활동 응원금", "고용·창업", "청년"),
        ("서울 한부모가족 양육 도움", "생활안정", "한부모"),
        ("경기 의료비 안심 지원", "보건·의료", "의료"),
        ("수영구 출산 축하 꾸러미", "임신·출산", "임신·출산"),
        ("유아 방과후 과정비 지원", "보육·교육", "교육"),
        ("무주택 신혼부부 전세 이자 지원", "주거·자립", "주거"),
        ("농업인 영농 안전 바우처", "농림축산어업", "고용"),
        ("겨울철 난방비 지원", "생활안정", "에너지"),
    ],
)
def test_category_mapping(name: str, field: str, category: str) -> None:
    assert category_for(name, field) == (category, [])


def test_unknown_service_field_falls_back_with_a_note() -> None:
    category, notes = category_for("주민 안전 교실 참가 지원", "행정·안전")
    assert category == DEFAULT_CATEGORY
    assert notes and "행정·안전" in notes[0]


# --- writing --------------------------------------------------------------------------
def test_written_files_load_back_identically(imported: Gov24Import, tmp_path: Path) -> None:
    paths = write_programs(imported.programs, tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"{p.id}.yaml" for p in imported.programs)
    catalog = load_catalog([tmp_path])
    assert list(catalog.programs) == sorted(imported.programs, key=lambda p: p.id)
    first = {p: p.read_bytes() for p in paths}
    write_programs(imported.programs, tmp_path)
    assert {p: p.read_bytes() for p in paths} == first  # stable output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    text = (tmp_path / "gov24_149200000101.yaml").read_text(encoding="utf-8")
    assert text.startswith("id: gov24_149200000101\nname: 저소득 가구 생계비 보충 지원\n")


def test_run_import_writes_and_summarises(tmp_path: Path) -> None:
    out = io.StringIO()
    assert run_import(FIXTURE_FILES, tmp_path / "out", fetched=CHECKED, out=out) == 0
    assert len(list((tmp_path / "out").glob("*.yaml"))) == 11
    summary = out.getvalue()
    assert "프로그램 11개" in summary
    assert "서비스명 없음 1개: SVC-NONAME-8" in summary


def test_run_import_exit_codes(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text('{"page": 1, "perPage": 10, "data": []}', encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("<html>", encoding="utf-8")
    assert run_import([empty], tmp_path / "out", fetched=CHECKED, out=io.StringIO()) == 1
    assert run_import([bad], tmp_path / "out", fetched=CHECKED, out=io.StringIO()) == 2
    assert run_import([tmp_path / "missing.json"], tmp_path, out=io.StringIO()) == 2


# --- the engine on imported programs ----------------------------------------------------
@pytest.fixture(scope="module")
def engine(imported: Gov24Import) -> EligibilityEngine:
    return EligibilityEngine(imported.programs, load_median_income(), load_schemes())


# Imported income lines count 소득인정액: with neither assets nor earned income, it is the
# income itself.
NO_ASSETS_NO_WORK = {"household_size": 1, "has_assets": False, "employment": "none"}


@pytest.mark.parametrize(
    ("service_id", "profile", "status"),
    [
        # 기준중위소득 75%, 1인 가구: 2,564,238 × 0.75 = 1,923,179원
        ("149200000101", {**NO_ASSETS_NO_WORK, "monthly_income": 1_923_179}, "eligible"),
        ("149200000101", {**NO_ASSETS_NO_WORK, "monthly_income": 1_923_180}, "ineligible"),
        ("149200000101", {"household_size": 1, "monthly_income": 1_923_179}, "maybe"),
        ("149200000101", {"monthly_income": 1_000_000}, "maybe"),
        ("3150000-0042", {"age": 70, "region": "서울 강서구", "lives_alone": True}, "eligible"),
        ("3150000-0042", {"age": 70, "region": "부산 수영구", "lives_alone": True}, "ineligible"),
        ("3150000-0042", {"age": 60, "region": "서울 강서구", "lives_alone": True}, "ineligible"),
        ("3150000-0042", {"age": 70, "region": "서울특별시 강서구"}, "maybe"),
        ("WLF0000000004", {"age": 25, "employment": "unemployed"}, "eligible"),
        ("WLF0000000004", {"age": 25, "employment": "employed"}, "eligible"),
        ("WLF0000000004", {"age": 25, "employment": "self_employed"}, "ineligible"),
        ("WLF0000000004", {"age": 40, "employment": "unemployed"}, "ineligible"),
        ("7010000-0012", {"age": 35, "region": "서울", "children_ages": [4]}, "eligible"),
        ("7010000-0012", {"age": 35, "region": "서울", "children_ages": [8]}, "ineligible"),
        ("143000000007", {"age": 50}, "eligible"),  # farmer-only codes are notes, not rules
    ],
)
def test_engine_assesses_imported_programs(
    engine: EligibilityEngine,
    programs: dict[str, Program],
    service_id: str,
    profile: dict[str, object],
    status: str,
) -> None:
    result = engine.assess(CitizenProfile.parse(profile), programs[service_id], CATALOG_TEST_DATE)
    assert result.status == status, (result.failed, result.missing)


def test_engine_names_the_missing_facts(
    engine: EligibilityEngine, programs: dict[str, Program]
) -> None:
    result = engine.assess(
        CitizenProfile.parse({"age": 70, "region": "서울 강서구"}),
        programs["3150000-0042"],
        CATALOG_TEST_DATE,
    )
    assert result.missing == ("lives_alone",)


def test_services_whose_ids_collide_keep_the_first(tmp_path: Path) -> None:
    rows = [{"서비스ID": "A-1", "서비스명": "첫째"}, {"서비스ID": "A_1", "서비스명": "둘째"}]
    (tmp_path / "list.json").write_text(json.dumps({"data": rows}), encoding="utf-8")
    result = import_gov24([tmp_path / "list.json"], CHECKED)
    assert [p.name for p in result.programs] == ["첫째"]
    assert result.skipped == [("다른 서비스와 프로그램 ID가 겹침", "A_1")]
