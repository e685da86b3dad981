"""Every Korean sentence the knowledge component produces, in one place for review."""

from __future__ import annotations

import datetime as dt

# --- profile problems -------------------------------------------------------------
PROFILE_NOT_OBJECT = "입력 형식이 올바르지 않습니다. 항목과 값을 묶은 JSON 객체로 보내 주세요."
CONTRADICTION_CHILD_AGE = "자녀 나이는 0세에서 40세 사이로 적어 주세요."
CONTRADICTION_ALONE_HOUSEHOLD = (
    "혼자 사신다고 하셨는데 가구원 수가 2명 이상입니다. 어느 쪽이 맞는지 확인해 주세요."
)
CONTRADICTION_ALONE_WITH_OTHERS = (
    "혼자 사신다고 하셨는데 배우자나 부모님과 함께 산다고도 하셨습니다. 확인해 주세요."
)
CONTRADICTION_ALONE_WITH_CHILDREN = (
    "혼자 사신다고 하셨는데 함께 사는 자녀가 있습니다. 확인해 주세요."
)
CONTRADICTION_MARRIED_HOUSEHOLD = (
    "배우자와 함께 사신다고 하셨는데 가구원 수가 1명입니다. 확인해 주세요."
)
CONTRADICTION_MARRIED_SINGLE_PARENT = (
    "배우자와 함께 사시면서 한부모 가구라고 하셨습니다. 확인해 주세요."
)
CONTRADICTION_PREGNANT_MALE = "성별이 남성인데 임신 중이라고 되어 있습니다. 확인해 주세요."
CONTRADICTION_HOUSING_OWN = "자가에 사신다고 하셨는데 집이 없다고도 하셨습니다. 확인해 주세요."
CONTRADICTION_CHILDREN_HOUSEHOLD = "함께 사는 자녀 수가 가구원 수보다 많습니다. 확인해 주세요."
CONTRADICTION_NO_ASSETS = "재산이 없다고 하셨는데 재산 금액을 말씀하셨습니다. 확인해 주세요."


def field_invalid(label: str) -> str:
    return f"'{label}' 값이 올바르지 않습니다. 다시 확인해 주세요."


# --- verdict lines ----------------------------------------------------------------
# Plain words, not 충족/미충족: citizens read these lines.
def condition_met(text: str, observed: str) -> str:
    return f"{text}: 맞아요 ({observed})" if observed else f"{text}: 맞아요"


def condition_failed(text: str, observed: str) -> str:
    return f"{text}: 아니에요 ({observed})" if observed else f"{text}: 아니에요"


def none_of(texts: list[str]) -> str:
    return " / ".join(texts) + " 중 어느 것에도 해당하지 않아요"


REGION_TEXT = "{region} 거주"
NO_CHILD = "해당 나이의 자녀 없음"
NO_CRISIS = "해당하는 위기 사유 없음"
NO_SITUATION = "해당하는 상황 없음"
NOT_RECEIVING = "받고 있지 않음"
OPEN_TO_ALL = "별도 자격 조건 없음"

YES = "예"
NO = "아니요"


def won(amount: int) -> str:
    return f"{amount:,}원"


def years_old(age: int) -> str:
    return f"만 {age}세"


def people(count: int) -> str:
    return f"{count}인 가구"


SINGLE = "단독 가구"
COUPLE = "부부 가구"


def recognised_against_line(
    low: int, high: int | None, parts: tuple[int, int] | None, line: int, whose: str
) -> str:
    """The arithmetic behind an income verdict, in plain words: '소득 40만 원 + 재산 환산
    13만 원 = 소득인정액 약 53만 원, 단독 가구 기준 2,470,000원'. ``parts`` are the income
    and the property's income value when the facts fix both; ``high`` None: unbounded."""
    against = f"{whose} 기준 {won(line)}"
    if parts is not None and parts[1]:
        income, estate = (won_plain(part) for part in parts)
        return f"소득 {income} + 재산 환산 {estate} = 소득인정액 약 {won_plain(low)}, {against}"
    if high == low:
        return f"월 {won(low)}, {against}"
    if high is not None and high <= line:
        return f"소득인정액 많아야 월 {won_plain(high)}, {against}"
    return f"소득인정액 적어도 월 {won_plain(low)}, {against}"


def won_plain(amount: int) -> str:
    """An amount as people say it: '1억 2,000만 원', '53만 원', '8,000원'."""
    if amount < 10_000:
        return f"{amount:,}원"
    eok, rest = divmod(amount, 100_000_000)
    man = rest // 10_000
    parts = ([f"{eok:,}억"] if eok else []) + ([f"{man:,}만"] if man else [])
    return " ".join(parts) + " 원"


def income_over_by(amount: int) -> str:
    return f"소득이 기준보다 월 {won(amount)} 많아요"


def age_short_by(years: int) -> str:
    return f"{years}년 뒤면 나이 조건에 맞아요"


def closed_reason(
    opens: dt.date | None, closes: dt.date | None, closes_at: str | None = None
) -> str:
    """Why a program takes no applications now, with its last round's dates."""
    if opens is None or closes is None:
        return "지금은 신청 기간이 아니에요. 다음 신청 기간은 아직 알려지지 않았어요."
    hour = f" {closes_at}" if closes_at else ""
    return f"지금은 신청 기간이 아니에요. 지난 신청 기간: {_date(opens)}~{_date(closes)}{hour}"


def _date(day: dt.date) -> str:
    return f"{day.year}년 {day.month}월 {day.day}일"


PERIOD_WORDS = {"once": "1회", "month": "월", "year": "연"}


def amount_text(value: int, period: str, up_to: bool, months: int | None) -> str:
    prefix = PERIOD_WORDS[period]
    cap = "최대 " if up_to else ""
    span = f", 최대 {months}개월" if months else ""
    if period == "once":
        return f"{cap}{won(value)} (1회){span}"
    return f"{prefix} {cap}{won(value)}{span}"


# --- command line (``ieum match``, ``ieum catalog validate``) ---------------------------
PROFILE_NOT_JSON = "프로필을 읽을 수 없습니다. 올바른 JSON인지 확인해 주세요."
NOTHING_LEFT_TO_ASK = "더 여쭤볼 것이 없습니다."
HEADING_ELIGIBLE = "[받을 수 있는 지원]"
HEADING_MAYBE = "[확인이 더 필요한 지원]"
HEADING_CLOSED = "[지금은 신청 기간이 아닌 지원]"
APPLY_AT = "신청:"
NEEDS = "필요한 정보:"


def ineligible_count(count: int) -> str:
    return f"(해당하지 않는 지원 {count}개)"


def catalog_summary(programs: int, cases: int, failures: int, digest: str) -> str:
    verdict = "모두 통과" if failures == 0 else f"{failures}건 불일치"
    return f"지원 {programs}개, 검증 사례 {cases}개: {verdict} (카탈로그 {digest[:12]})"


# --- 보조금24 importer (knowledge/importers/gov24.py) --------------------------------
# Wording of imported programs (rule texts, notes, composed sections) and of the
# ``ieum catalog import-gov24`` summary.

GOV24_SOURCE_TITLE = "보조금24 · {name}"
GOV24_SECTION_TARGET = "지원대상"
GOV24_SECTION_CRITERIA = "선정기준"
GOV24_SECTION_BENEFIT = "지원내용"
GOV24_SECTION_METHOD = "신청방법"
GOV24_SECTION_DEADLINE = "신청기한"
GOV24_ELIGIBILITY_SEE_SOURCE = "자세한 자격 조건은 보조금24 안내를 확인해 주세요."
GOV24_BENEFIT_SEE_SOURCE = "지원 내용은 보조금24 안내를 확인해 주세요."
GOV24_WHERE_FALLBACK = "주소지 읍면동 행정복지센터 또는 보조금24 안내의 접수기관"

# supportConditions codes as 보조금24 names them (notes quote these).
GOV24_CODE_LABELS: dict[str, str] = {
    "JA0101": "남성",
    "JA0102": "여성",
    "JA0301": "예비부모·난임",
    "JA0302": "임산부",
    "JA0303": "출산·입양",
    "JA0313": "농업인",
    "JA0314": "어업인",
    "JA0315": "축산업인",
    "JA0316": "임업인",
    "JA0317": "초등학생",
    "JA0318": "중학생",
    "JA0319": "고등학생",
    "JA0320": "대학생·대학원생",
    "JA0322": "해당사항 없음",
    "JA0326": "근로자·직장인",
    "JA0327": "구직자·실업자",
    "JA0328": "장애인",
    "JA0329": "국가보훈대상자",
    "JA0330": "질병·질환자",
    "JA0401": "다문화가족",
    "JA0402": "북한이탈주민",
    "JA0403": "한부모·조손 가족",
    "JA0404": "1인 가구",
    "JA0410": "해당사항 없음",
    "JA0411": "다자녀 가구",
    "JA0412": "무주택 세대",
    "JA0413": "신규 전입",
    "JA0414": "확대가족",
    "JA1101": "예비창업자",
    "JA1102": "영업 중인 소상공인",
    "JA1103": "생계곤란·폐업예정 소상공인",
}

GOV24_SEX_TEXT = {"m": "남성", "f": "여성"}
GOV24_PREGNANT_TEXT = "임신 중"
GOV24_BIRTH_TEXT = "출산·입양한 만 0세 자녀가 있음"
GOV24_EMPLOYED_TEXT = "직장에 다니는 분(근로자)"
GOV24_JOB_SEEKER_TEXT = "일자리를 찾는 분(구직자·실업자)"
GOV24_EMPLOYED_OR_SEEKER_TEXT = "직장에 다니거나 일자리를 찾는 분"
GOV24_DISABLED_TEXT = "등록 장애인"
GOV24_SINGLE_PARENT_TEXT = "한부모·조손 가구"
GOV24_LIVES_ALONE_TEXT = "1인 가구(혼자 삶)"
GOV24_NO_HOUSE_TEXT = "무주택(집을 소유하지 않음)"

GOV24_NOTE_NO_CONDITIONS = "보조금24 지원조건 자료 없음: 자격 조건을 자동으로 판정하지 않습니다."
GOV24_NOTE_BAD_AGE = "보조금24 연령 조건이 앞뒤가 맞지 않아 판정에 쓰지 않음 (만 {low}세~{high}세)"

GOV24_SKIP_NO_ID = "서비스ID 없음"
GOV24_SKIP_NO_NAME = "서비스명 없음"
GOV24_SKIP_NO_SERVICE = "목록·상세 자료 없이 지원조건만 있음"
GOV24_SKIP_INVALID = "카탈로그 형식에 맞지 않음"
GOV24_SKIP_DUPLICATE_ID = "다른 서비스와 프로그램 ID가 겹침"
GOV24_CONTACT_FALLBACK = "보조금24 안내 페이지"
GOV24_NOT_JSON = "{path}: JSON 형식이 아닙니다 ({detail})"
GOV24_NOT_PAGE = "{path}: 보조금24 응답 형식(data 배열 또는 행 목록)이 아닙니다"

GOV24_SUMMARY_READ = (
    "보조금24 자료 읽음: 목록·상세 {services}행, 지원조건 {conditions}행 (파일 {files}개)"
)
GOV24_SUMMARY_WRITTEN = (
    "프로그램 {count}개를 {out_dir} 에 저장했습니다 (자동 판정 조건 있음 {ruled}개)."
)
GOV24_SUMMARY_SKIPPED = "건너뛴 행 {count}개:"
GOV24_SUMMARY_NOTHING = "가져올 서비스가 없습니다."
GOV24_READ_FAILED = "보조금24 파일을 읽지 못했습니다: {problem}"


def gov24_age_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"만 {low}세 이상 {high}세 이하"
    if low is not None:
        return f"만 {low}세 이상"
    return f"만 {high}세 이하"


def gov24_child_age_text(low: int | None, high: int) -> str:
    return f"만 {low or 0}세~{high}세 자녀가 있음"


def gov24_income_text(percent: float) -> str:
    return f"가구 소득인정액이 기준중위소득 {percent:g}% 이하"


def gov24_code_note(code: str) -> str:
    return f"보조금24 조건: {GOV24_CODE_LABELS.get(code, code)}"


def gov24_group_note(codes: list[str]) -> str:
    """A targeting group left unchecked because some of its codes cannot be expressed."""
    labels = ", ".join(GOV24_CODE_LABELS.get(code, code) for code in codes)
    return f"보조금24 대상(이 중 하나): {labels} — 일부를 판정할 수 없어 자동 판정하지 않음"


def gov24_region_unknown(organisation: str) -> str:
    return f"소관기관 '{organisation}'의 지역을 알 수 없어 전국으로 두었습니다. 확인해 주세요."


def gov24_field_unknown(field: str) -> str:
    shown = field or "없음"
    return f"보조금24 서비스분야 '{shown}'에 맞는 분류가 없어 기본 분류로 두었습니다."


def gov24_other_contact(entry: str) -> str:
    return f"다른 문의처: {entry}"


def gov24_source_note(service_id: str, modified: str | None, fetched: dt.date) -> str:
    changed = f", 보조금24 수정일 {modified}" if modified else ""
    return (
        f"서비스ID {service_id}{changed}; {fetched}에 자동으로 가져온 자료 (사람이 확인하지 않음)"
    )


def gov24_skipped_line(reason: str, raw_ids: list[str | None], shown: int = 5) -> str:
    """One reason with its count and the first few raw 서비스ID values."""
    examples = ", ".join(raw or "(ID 없음)" for raw in raw_ids[:shown])
    more = " 외" if len(raw_ids) > shown else ""
    return f"  · {reason} {len(raw_ids)}개: {examples}{more}"


# --- ``ieum catalog audit`` --------------------------------------------------------------
def figure_amount(starts: dt.date) -> str:
    return f"지원 금액({starts}부터)"


def figure_threshold(starts: dt.date) -> str:
    return f"소득 기준 금액({starts}부터)"


def figure_percent(percent: float) -> str:
    return f"기준중위소득 {percent:g}%"


def figure_round(opens: dt.date | None, closes: dt.date | None) -> str:
    return f"신청 기간({opens}~{closes})" if opens and closes else "신청 기간(날짜 미상)"


def audit_unverified(program_id: str, figure: str, source: str) -> str:
    return f"{program_id}: {figure} — 출처 원문으로 확인하지 않음 ({source})"


def audit_stale(program_id: str, figure: str, source: str, checked: dt.date) -> str:
    return f"{program_id}: {figure} — {checked}에 확인한 뒤 1년이 지남 ({source})"


def audit_summary(findings: int, programs: int) -> str:
    return f"지원 {programs}개에서 확인이 필요한 수치 {findings}개"
