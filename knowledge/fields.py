"""The registry of citizen-profile fields: each field declared once, everything else derived.

A field's entry says what kind of value it holds (which also picks how a free answer is
read and how a stated value is shown), its Korean label, how ieum asks for it about the
user and about someone else, the buttons for fixed choices with the words for each value,
and the hint given when an answer was not understood. The order of ``FIELDS`` is the
question priority: when two questions would settle equally many programs, the earlier
field is asked first (the easier question).

Adding a field takes two edits: the typed attribute in ``knowledge/profile.py`` and its
entry here (a test checks that both agree). A fixed-choice field also needs the words
people use for its values, in ``actions/answers.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

FieldKind = Literal[
    "age",  # whole years
    "region",  # '서울특별시 강서구'
    "count",  # a number of people
    "money",  # won a month
    "amount",  # won, a sum held (property, debts), not a month's
    "boolean",
    "choice",  # one value of ``values``
    "choices",  # several values of ``values`` (an empty list is 'none of these')
    "ages",  # the ages of children
    "programs",  # catalog program ids
]
LIST_KINDS: frozenset[FieldKind] = frozenset({"choices", "ages", "programs"})

YES_NO: tuple[tuple[str, str], ...] = (("예", "true"), ("아니요", "false"))
PEOPLE: tuple[tuple[str, str], ...] = (
    ("1명", "1"),
    ("2명", "2"),
    ("3명", "3"),
    ("4명", "4"),
    ("5명", "5"),
    ("6명", "6"),
    ("7명 이상", "7"),
)
# Property in rough bands, for people who know "about"; any amount can be typed too.
ABOUT_AMOUNTS: tuple[tuple[str, str], ...] = (
    ("없어요", "0"),
    ("약 3천만 원", "30000000"),
    ("약 1억 원", "100000000"),
    ("약 2억 원", "200000000"),
    ("약 3억 원", "300000000"),
    ("5억 원 넘게", "500000000"),
)
SMALL_AMOUNTS: tuple[tuple[str, str], ...] = (
    ("없어요", "0"),
    ("약 500만 원", "5000000"),
    ("약 1천만 원", "10000000"),
    ("약 3천만 원", "30000000"),
    ("약 5천만 원", "50000000"),
    ("1억 원 넘게", "100000000"),
)
_AMOUNT_HINT = "대략의 금액을 말씀해 주세요. 예: 1억 2천, 5천만 원. 없으면 '없어요'"


@dataclass(frozen=True)
class ProfileField:
    """One fact about a person, as the engine, the conversation and explanations use it."""

    name: str
    kind: FieldKind
    label: str
    about_self: str
    about_other: str
    options: tuple[tuple[str, str], ...] = ()
    """Buttons: (what the button says, the value it answers)."""
    values: Mapping[str, str] = field(default_factory=dict)
    """How each value reads in a verdict or a stated fact."""
    hint: str | None = None
    """Said after an answer that was not understood; None: 'choose a button'."""

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    def value_label(self, value: str) -> str:
        return self.values.get(value, value)


_NONE = "없음"
_CRISES = {
    "income_loss": "실직·소득 상실",
    "illness": "중한 질병·부상",
    "death_of_earner": "주소득자 사망·가출",
    "eviction": "집을 잃거나 쫓겨날 위기",
    "abuse": "학대·가정폭력",
    "disaster": "화재·재난",
    "business_closure": "폐업·휴업",
    "utility_cut": "전기·가스·수도 끊김",
    "other": "기타 위기",
}
_SITUATIONS = {
    "multicultural": "다문화가족",
    "north_korean_defector": "북한이탈주민",
    "care_leaver": "자립준비청년(보호종료)",
    "young_carer": "가족을 돌보는 청년",
    "reclusive": "고립·은둔 생활",
    "hospital_discharge": "퇴원했거나 퇴원 예정",
    "grandparent_family": "조손가족",
    "debt": "갚기 어려운 빚",
}

_REGISTRY: tuple[ProfileField, ...] = (
    ProfileField(
        "age",
        "age",
        "나이",
        "나이가 어떻게 되세요? (만 나이)",
        "그분은 만 몇 세이신가요?",
        hint="나이를 숫자로 말씀해 주세요. 예: 73세",
    ),
    ProfileField(
        "region",
        "region",
        "사는 곳",
        "어느 시·군·구에 사세요?",
        "그분은 어느 시·군·구에 사시나요?",
        hint="시·군·구 이름으로 말씀해 주세요. 예: 서울 강서구",
    ),
    ProfileField(
        "household_size",
        "count",
        "가구원 수",
        "함께 사는 가족은 본인을 포함해 몇 명인가요?",
        "그분 댁에는 그분을 포함해 몇 명이 함께 사시나요?",
        PEOPLE,
        hint="함께 사는 사람 수를 말씀해 주세요. 예: 2명",
    ),
    ProfileField(
        "monthly_income",
        "money",
        "가구 월 소득",
        "가구 전체의 한 달 소득은 대략 얼마인가요?",
        "그분 가구의 한 달 소득은 대략 얼마인가요?",
        hint="한 달 금액으로 말씀해 주세요. 예: 월 80만 원. 소득이 없으면 '없음'",
    ),
    ProfileField(
        "lives_alone", "boolean", "혼자 사는지", "혼자 사시나요?", "그분은 혼자 사시나요?", YES_NO
    ),
    ProfileField(
        "married",
        "boolean",
        "배우자 여부",
        "배우자와 함께 사시나요?",
        "그분은 배우자와 함께 사시나요?",
        YES_NO,
    ),
    ProfileField(
        "children_ages",
        "ages",
        "자녀 나이",
        "함께 사는 자녀가 있다면 나이를 알려 주세요. 없으면 '없음'이라고 해 주세요.",
        "그분과 함께 사는 자녀가 있다면 나이를 알려 주세요.",
        hint="자녀 나이를 말씀해 주세요. 예: 7살, 3살. 없으면 '없음'",
    ),
    ProfileField(
        "disability",
        "choice",
        "장애 여부",
        "등록된 장애가 있으신가요?",
        "그분은 등록된 장애가 있으신가요?",
        (("없음", "none"), ("심하지 않은 장애", "mild"), ("심한 장애", "severe")),
        {"none": _NONE, "mild": "장애 정도가 심하지 않음", "severe": "장애 정도가 심함"},
    ),
    ProfileField(
        "housing",
        "choice",
        "주거 형태",
        "지금 사는 집은 어떤 형태인가요?",
        "그분이 사는 집은 어떤 형태인가요?",
        (("자가", "own"), ("전세·월세", "rent"), ("무상 거주", "free")),
        {"own": "자가", "rent": "전월세", "free": "무상 거주"},
    ),
    ProfileField(
        "owns_home",
        "boolean",
        "집 소유 여부",
        "본인 이름으로 된 집이 있나요?",
        "그분 이름으로 된 집이 있나요?",
        (("있음", "true"), ("없음", "false")),
    ),
    ProfileField(
        "employment",
        "choice",
        "일하는 상황",
        "지금 일하고 계신가요?",
        "그분은 지금 일하고 계신가요?",
        (
            ("직장에 다님", "employed"),
            ("일자리를 찾는 중", "unemployed"),
            ("자영업", "self_employed"),
            ("일하지 않음", "none"),
        ),
        {
            "employed": "직장에 다님",
            "unemployed": "일자리를 찾는 중",
            "self_employed": "자영업",
            "none": _NONE,
        },
    ),
    ProfileField(
        "crisis",
        "choices",
        "최근 겪은 어려움",
        "최근에 갑자기 어려운 일이 생기셨나요?",
        "그분께 최근 갑자기 어려운 일이 생겼나요?",
        (
            ("실직·소득 끊김", "income_loss"),
            ("큰 병·부상", "illness"),
            ("집을 잃을 위기", "eviction"),
            ("전기·가스 끊김", "utility_cut"),
            ("없음", "none"),
        ),
        _CRISES,
    ),
    ProfileField(
        "pregnant",
        "boolean",
        "임신 여부",
        "지금 임신 중이신가요?",
        "그분은 지금 임신 중이신가요?",
        YES_NO,
    ),
    ProfileField(
        "single_parent",
        "boolean",
        "한부모 가구 여부",
        "한부모 가구인가요?",
        "그분은 한부모 가구인가요?",
        YES_NO,
    ),
    ProfileField(
        "lives_with_parents",
        "boolean",
        "부모님과 함께 사는지",
        "부모님과 함께 사시나요?",
        "그분은 부모님과 함께 사시나요?",
        YES_NO,
    ),
    ProfileField(
        "parents_household_size",
        "count",
        "부모님 가구원 수",
        "부모님 가구는 몇 명인가요?",
        "그분 부모님 가구는 몇 명인가요?",
        PEOPLE,
        hint="부모님 댁 사람 수를 말씀해 주세요. 예: 3명",
    ),
    ProfileField(
        "parents_monthly_income",
        "money",
        "부모님 가구 월 소득",
        "부모님 가구의 한 달 소득은 대략 얼마인가요?",
        "그분 부모님 가구의 한 달 소득은 대략 얼마인가요?",
        hint="한 달 금액으로 말씀해 주세요. 예: 월 300만 원",
    ),
    ProfileField(
        "receives",
        "programs",
        "이미 받고 있는 지원",
        "지금 받고 있는 복지 지원이 있나요? (예: 기초연금, 생계급여)",
        "그분이 지금 받고 있는 복지 지원이 있나요?",
        hint="받고 있는 지원 이름을 말씀해 주세요. 예: 기초연금. 없으면 '없음'",
    ),
    ProfileField(
        "situations",
        "choices",
        "해당하는 상황",
        "다음 중 해당하는 상황이 있나요? 없으면 '없음'을 눌러 주세요.",
        "그분께 다음 중 해당하는 상황이 있나요?",
        (
            ("다문화가족", "multicultural"),
            ("북한이탈주민", "north_korean_defector"),
            ("보호가 끝난 청년", "care_leaver"),
            ("가족을 돌보는 청년", "young_carer"),
            ("밖에 거의 안 나감", "reclusive"),
            ("퇴원 예정·최근 퇴원", "hospital_discharge"),
            ("갚기 어려운 빚", "debt"),
            ("없음", "none"),
        ),
        _SITUATIONS,
    ),
    ProfileField(
        "own_monthly_income",
        "money",
        "본인(과 배우자)의 월 소득",
        "본인의 한 달 소득은 대략 얼마인가요? 배우자가 있으면 두 분 것을 합쳐 말씀해 주세요.",
        "그분 본인의 한 달 소득은 대략 얼마인가요? 배우자가 있으면 합쳐서 말씀해 주세요.",
        hint="한 달 금액으로 말씀해 주세요. 예: 월 30만 원. 없으면 '없음'",
    ),
    ProfileField(
        "has_assets",
        "boolean",
        "재산이 있는지",
        "집(전세·월세 보증금도요), 땅, 예금, 자동차 같은 재산이 있으세요?",
        "그분께 집(전세·월세 보증금도요), 땅, 예금, 자동차 같은 재산이 있나요?",
        (("있어요", "true"), ("없어요", "false")),
    ),
    ProfileField(
        "home_value",
        "amount",
        "사는 집의 값 또는 보증금",
        "사시는 집 값은 대략 얼마쯤 되세요? 전세·월세라면 보증금을 말씀해 주세요.",
        "그분이 사는 집 값은 대략 얼마쯤 되나요? 전세·월세라면 보증금을 말씀해 주세요.",
        ABOUT_AMOUNTS,
        hint=_AMOUNT_HINT,
    ),
    ProfileField(
        "financial_assets",
        "amount",
        "예금·적금",
        "예금이나 적금은 모두 합해 대략 얼마쯤 되세요?",
        "그분의 예금이나 적금은 모두 합해 대략 얼마쯤 되나요?",
        SMALL_AMOUNTS,
        hint=_AMOUNT_HINT,
    ),
    ProfileField(
        "car_value",
        "amount",
        "자동차 값",
        "자동차가 있으면 지금 값은 대략 얼마쯤 될까요?",
        "그분께 자동차가 있으면 지금 값은 대략 얼마쯤 될까요?",
        SMALL_AMOUNTS,
        hint=_AMOUNT_HINT,
    ),
    ProfileField(
        "other_property_value",
        "amount",
        "땅·상가 같은 다른 재산",
        "사시는 집 말고 땅이나 상가 같은 재산이 있으면 대략 얼마쯤 되세요?",
        "그분께 사는 집 말고 땅이나 상가 같은 재산이 있으면 대략 얼마쯤 되나요?",
        ABOUT_AMOUNTS,
        hint=_AMOUNT_HINT,
    ),
    ProfileField(
        "debts",
        "amount",
        "갚아야 할 빚",
        "갚아야 할 빚(대출)은 모두 합해 대략 얼마쯤 되세요?",
        "그분이 갚아야 할 빚(대출)은 모두 합해 대략 얼마쯤 되나요?",
        SMALL_AMOUNTS,
        hint=_AMOUNT_HINT,
    ),
    ProfileField(
        "sex",
        "choice",
        "성별",
        "성별을 알려 주시겠어요?",
        "그분의 성별을 알려 주시겠어요?",
        (("남성", "m"), ("여성", "f")),
        {"m": "남성", "f": "여성"},
    ),
)

FIELDS: Mapping[str, ProfileField] = {f.name: f for f in _REGISTRY}
"""Every profile field by name, in question-priority order."""


def label(name: str) -> str:
    """The Korean label of a field ('가구 월 소득'); an unknown name is shown as is."""
    entry = FIELDS.get(name)
    return entry.label if entry is not None else name


def priority(name: str) -> int:
    """The field's place in the question order (unknown names last)."""
    names = list(FIELDS)
    return names.index(name) if name in FIELDS else len(names)


def names_of_kind(*kinds: FieldKind) -> frozenset[str]:
    return frozenset(f.name for f in _REGISTRY if f.kind in kinds)
