"""Every Korean sentence of the case store, in one place for review: labels, the command
line's output, and the polite refusals that reach staff and reporters."""

from __future__ import annotations

from collections.abc import Iterable

KIND_LABELS = {
    "report": "복지 사각지대 신고",
    "handoff": "상담 연결 요청",
    "fallback": "대화 이해 실패",
    "emergency": "긴급 상황",
    "checkin_concern": "안부 확인 우려",
}
PRIORITY_LABELS = {"critical": "긴급", "high": "높음", "normal": "보통"}
CHANNEL_LABELS = {
    "telegram": "텔레그램 대화",
    "webchat": "웹 채팅",
    "terminal": "터미널 대화",
    "phone": "전화 접수",
    "visit": "방문 접수",
}
"""Where a case came from; a channel not listed here is shown as it is stored."""
STATUS_LABELS = {
    "new": "접수",
    "assigned": "담당자 배정",
    "contacted": "연락함",
    "visited": "방문함",
    "linked": "서비스 연계",
    "closed": "종결",
}
SIGN_LABELS = {
    "rent_arrears": "월세 밀림",
    "utility_arrears": "공과금 밀림",
    "utility_cut": "전기·가스·수도 끊김",
    "phone_arrears": "통신비 밀림",
    "skipping_meals": "끼니 거름",
    "not_seen": "며칠째 안 보임",
    "rubbish_smell": "쓰레기·악취",
    "hoarding": "물건을 쌓아 둠",
    "illness": "아픔",
    "debt": "빚",
    "refusing_help": "도움 거부",
    "abuse": "학대·폭력",
    "self_harm": "자해·극단적 선택 우려",
    "other": "기타",
}
HOUSEHOLD_LABELS = {
    "elderly_alone": "독거노인",
    "elderly_couple": "노인부부",
    "middle_aged_single": "중장년 1인가구",
    "single_parent": "한부모",
    "grandparent": "조손",
    "multicultural": "다문화",
    "north_korean_defector": "북한이탈주민",
    "disabled": "장애인",
    "young_carer": "가족돌봄청년",
    "reclusive": "은둔형 외톨이",
    "care_leaver": "자립준비청년",
    "hospital_discharge": "퇴원환자",
    "other": "기타",
    "unknown": "모름",
}
ROLE_LABELS = {"worker": "담당 공무원", "supervisor": "시군구 관리자", "admin": "전체 관리자"}
SELF = "본인"
OTHER = "다른 사람"
NO_AREA = "지역 모름"
NOTHING_OPEN = "처리할 요청이 없습니다."
NOTHING_AT_ALL = "저장된 요청이 없습니다."

# --- reports that cannot be filed (nothing is stored) ---------------------------------------
NOT_JSON = "신고 내용을 읽을 수 없습니다. JSON 형식인지 확인해 주세요."
CONSENT_REQUIRED = (
    "개인정보 수집·이용에 동의하셔야 신고를 접수할 수 있습니다. "
    "동의하지 않으시면 보건복지상담센터(국번 없이 129)로 전화해 주세요."
)
ABOUT_INVALID = "누구에 대한 신고인지 알려 주세요: 본인(self) 또는 다른 사람(other)."
NOTHING_REPORTED = "어떤 어려움이 보이는지 한 가지 이상 고르시거나 내용을 적어 주세요."
HOUSEHOLD_INVALID = "가구 유형을 목록에서 골라 주세요. 모르시면 '모름'(unknown)을 고르시면 됩니다."
CONTACT_NEEDED = (
    "연락받으실 전화번호를 알려 주세요. 연락처를 남기기 어려우시면 익명으로 신고하실 수 있습니다."
)
ANONYMOUS_WITH_CONTACT = "익명 신고에는 이름이나 연락처를 적지 않습니다. 둘 중 하나만 골라 주세요."
PHONE_INVALID = "전화번호를 다시 확인해 주세요. 예: 010-1234-5678"
AREA_UNKNOWN = "말씀하신 지역을 찾지 못했습니다. 시군구와 동을 함께 적어 주세요. 예: 강서구 화곡1동"
AREA_KEY_UNKNOWN = "지정된 지역이 지역 목록에 없습니다. 지역을 다시 골라 주세요."
PHOTO_INVALID = "사진은 JPEG나 PNG 파일만 받을 수 있습니다."
CHANNEL_INVALID = "접수 경로(channel)는 영문 소문자로 적어 주세요. 예: phone, visit, telegram"


def field_invalid(field: str) -> str:
    return f"'{field}' 항목의 형식이 맞지 않습니다. 다시 확인해 주세요."


def unknown_fields(fields: Iterable[str]) -> str:
    return f"알 수 없는 항목이 있습니다: {', '.join(sorted(fields))}. 항목 이름을 확인해 주세요."


def unknown_signs(codes: Iterable[str]) -> str:
    return f"알 수 없는 위기 징후입니다: {', '.join(sorted(codes))}. 목록에서 골라 주세요."


def too_long(field: str, limit: int) -> str:
    return f"'{field}' 항목은 {limit:,}자까지 적을 수 있습니다. 조금 줄여 주세요."


def area_ambiguous(candidates: Iterable[str]) -> str:
    listed = "\n".join(f"  - {candidate}" for candidate in candidates)
    return f"같은 이름의 지역이 여러 곳입니다. 어느 곳인지 시군구나 동까지 적어 주세요.\n{listed}"


# --- receipts -------------------------------------------------------------------------------
RECEIPT_NOT_FOUND = "그 접수번호로 된 신고를 찾지 못했습니다. 번호를 다시 확인해 주세요."


def receipt_status(receipt: str, status: str, date: str) -> str:
    return f"접수번호 {receipt}: {STATUS_LABELS[status]} ({date})"


# --- staff work on a case -------------------------------------------------------------------
CASE_NOT_FOUND = "그 번호의 사례가 없습니다."
ACCESS_DENIED = "담당 지역의 사례가 아니어서 볼 수 없습니다."
SAME_STATUS = "이미 그 상태입니다."
BACKWARD_STATUS = "처리 단계를 되돌릴 수 없습니다. 종결된 사례만 관리자가 다시 열 수 있습니다."
REOPEN_NOT_ALLOWED = "종결된 사례는 시군구 관리자나 전체 관리자만 다시 열 수 있습니다."
REOPEN_TO_ASSIGNED = "종결된 사례는 '담당자 배정' 단계로만 다시 열 수 있습니다."
OUTCOME_NEEDED = "종결하려면 처리 결과를 골라 주세요."
OUTCOME_ONLY_WHEN_CLOSING = "처리 결과는 종결할 때만 고를 수 있습니다."
OUTCOME_UNKNOWN = "처리 결과를 목록에서 골라 주세요."
NOTE_EMPTY = "메모 내용을 적어 주세요."
REPLY_EMPTY = "답장 내용을 적어 주세요."
REPLY_UNREACHABLE = (
    "이 사례는 대화방으로 답장을 보낼 수 없습니다(전화·방문 접수이거나 웹 채팅). "
    "신고서의 연락처로 전화해 주세요."
)
REPLY_CLOSED = "종결된 사례에는 답장을 보낼 수 없습니다."
ASSIGN_ONLY_SELF = "담당 공무원은 담당자가 없는 사례를 맡거나, 맡은 사례를 내려놓을 수만 있습니다."
ASSIGNEE_SAME = "이미 그 담당자에게 배정되어 있습니다."
ASSIGNEE_UNKNOWN = "그 담당자를 찾지 못했거나, 이 사례의 지역을 맡고 있지 않습니다."

# --- staff users ----------------------------------------------------------------------------
LOGIN_INVALID = "로그인 이름은 영문 소문자, 숫자, 점(.), 밑줄(_), 하이픈(-)으로 2~50자입니다."
LOGIN_TAKEN = "이미 있는 로그인 이름입니다."
ROLE_INVALID = "역할은 worker, supervisor, admin 가운데 하나입니다."
AREAS_NEEDED = "담당 공무원과 시군구 관리자는 담당 지역이 하나 이상 있어야 합니다."
SUPERVISOR_NEEDS_DISTRICT = "시군구 관리자의 담당 지역은 시군구여야 합니다. 예: 서울특별시 강서구"
PASSWORD_TOO_SHORT = "비밀번호는 12자 이상이어야 합니다."
PASSWORD_MISSING = "비밀번호를 표준 입력으로 넣어 주세요 (--password-stdin)."


def user_created(login: str, role: str, areas: Iterable[str]) -> str:
    shown = ", ".join(areas) or "전체"
    return f"사용자 {login}을(를) 만들었습니다 ({ROLE_LABELS[role]}, 담당 지역: {shown})."


def contacts_erased(count: int, days: int) -> str:
    return f"종결 후 {days}일이 지난 신고 {count}건의 신고자 연락처를 지웠습니다."


# --- the escalation list of the command line ------------------------------------------------
def heading(count: int, include_closed: bool) -> str:
    return f"전체 요청 {count}건" if include_closed else f"처리할 요청 {count}건"


def escalation_line(
    number: int, priority: str, kind: str, status: str, opened: str, area: str | None, channel: str
) -> str:
    return (
        f"#{number} [{PRIORITY_LABELS[priority]}] {KIND_LABELS[kind]} · "
        f"{STATUS_LABELS[status]} · {opened} · {area or NO_AREA} · {channel}"
    )


def summary_line(summary: str) -> str:
    return f"    {summary}"


def report_summary(about: str, relation: str | None, signs: Iterable[str], household: str) -> str:
    """The one-line summary of a report in the queue: who, what was seen, household."""
    who = SELF if about == "self" else (relation or OTHER)
    seen = ", ".join(SIGN_LABELS[sign] for sign in signs) or SIGN_LABELS["other"]
    return f"[신고] {who} · {seen} · {HOUSEHOLD_LABELS[household]}"
