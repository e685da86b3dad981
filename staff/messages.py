"""Every Korean sentence of the staff console, in one place for review: page titles,
labels, buttons, refusals, and the line a citizen sees above a staff reply.

Labels of the case store (kinds, statuses, signs, households, roles) are the store's own
(``cases.messages``), so a status reads the same on the console and in the command line.
"""

from __future__ import annotations

from cases.messages import (
    CHANNEL_LABELS,
    HOUSEHOLD_LABELS,
    KIND_LABELS,
    NO_AREA,
    PRIORITY_LABELS,
    ROLE_LABELS,
    SIGN_LABELS,
    STATUS_LABELS,
)

__all__ = [
    "CHANNEL_LABELS",
    "HOUSEHOLD_LABELS",
    "KIND_LABELS",
    "NO_AREA",
    "PRIORITY_LABELS",
    "ROLE_LABELS",
    "SIGN_LABELS",
    "STATUS_LABELS",
]

APP_TITLE = "이음 담당자 화면"
SKIP_TO_CONTENT = "본문으로 건너뛰기"
NAV_QUEUE = "처리할 사례"
NAV_AUDIT = "접속 기록"
LOGOUT = "로그아웃"
SIGNED_IN_AS = "로그인: {name} ({role})"

# --- sign-in --------------------------------------------------------------------------------
LOGIN_TITLE = "담당자 로그인"
LOGIN_INTRO = "담당 공무원 계정으로 로그인해 주세요."
LOGIN_FIELD = "로그인 이름"
PASSWORD_FIELD = "비밀번호"
LOGIN_BUTTON = "로그인"
WRONG_PASSWORD = "로그인 이름이나 비밀번호가 맞지 않습니다. 다시 확인해 주세요."
SIGNED_OUT = "로그아웃했습니다."
SESSION_ENDED = "로그인이 끝났습니다. 다시 로그인해 주세요."
NOT_SIGNED_IN = "로그인이 필요합니다."
CSRF_REFUSED = "요청을 확인할 수 없습니다. 화면을 새로 고친 뒤 다시 해 주세요."


def throttled(minutes: int) -> str:
    return (
        f"로그인 실패가 여러 번 있어 잠시 막아 두었습니다. {minutes}분 뒤에 다시 해 주세요. "
        "비밀번호를 잊으셨으면 관리자에게 문의해 주세요."
    )


# --- the queue ------------------------------------------------------------------------------
QUEUE_TITLE = "처리할 사례"
QUEUE_CAPTION = "처리할 사례 목록 (급한 순서, 오래된 순서)"
FILTERS_LEGEND = "사례 거르기"
FILTER_KIND = "종류"
FILTER_AREA = "지역"
FILTER_STATUS = "처리 단계"
FILTER_OVERDUE = "기한 지난 사례만"
FILTER_ALL = "전체"
FILTER_OPEN = "종결 전 전체"
FILTER_APPLY = "거르기"
FILTER_RESET = "조건 지우기"
QUEUE_EMPTY = "조건에 맞는 사례가 없습니다."
QUEUE_LIVE = "목록은 몇 초마다 저절로 새로 고쳐집니다."
COLUMN_NUMBER = "번호"
COLUMN_PRIORITY = "긴급도"
COLUMN_KIND = "종류"
COLUMN_SUMMARY = "내용"
COLUMN_AREA = "지역"
COLUMN_STATUS = "처리 단계"
COLUMN_ASSIGNEE = "담당자"
COLUMN_OPENED = "접수"
COLUMN_DUE = "처리 기한"
OVERDUE = "기한 지남"
NOBODY = "없음"
PREVIOUS_PAGE = "이전 쪽"
NEXT_PAGE = "다음 쪽"


def queue_count(total: int, page: int, pages: int) -> str:
    return f"모두 {total:,}건 · {page}/{pages}쪽"


# --- one case -------------------------------------------------------------------------------
def case_title(case_id: int) -> str:
    return f"사례 {case_id}번"


BACK_TO_QUEUE = "← 목록으로"
CASE_FIELDS = "사례 정보"
FIELD_PRIORITY = "긴급도"
FIELD_STATUS = "처리 단계"
FIELD_OUTCOME = "처리 결과"
FIELD_AREA = "지역"
FIELD_ASSIGNEE = "담당자"
FIELD_DUE = "처리 기한"
FIELD_RECEIPT = "접수번호"
FIELD_CHANNEL = "접수 경로"
FIELD_OPENED = "접수 시각"
FIELD_SUMMARY = "요약"

REPORT = "신고 내용"
REPORT_ABOUT = "누구에 대한 신고"
REPORT_SELF = "본인"
REPORT_OTHER = "다른 사람"
REPORT_REGION = "말한 지역"
REPORT_ADDRESS = "자세한 주소"
REPORT_SIGNS = "보이는 어려움"
REPORT_HOUSEHOLD = "가구 유형"
REPORT_TEXT = "신고자가 적은 내용"
REPORT_URGENT = "신고자가 급하다고 했습니다."
REPORT_DANGER = "위험을 뜻하는 말이 있었습니다."
REPORTER = "신고자 연락처"
REPORTER_ANONYMOUS = "익명 신고입니다. 신고자 연락처가 없습니다."
REPORTER_ERASED = "보존 기간이 지나 신고자 연락처를 지웠습니다."
REPORT_PHOTO = "신고 사진"
REPORT_PHOTO_ALT = "신고자가 보낸 사진"
PHOTO_MISSING = "사진 파일을 찾지 못했습니다."
NOTHING = "없음"

TRANSCRIPT = "대화 기록"
TRANSCRIPT_NOTE = "주민등록번호는 가려서 보관합니다."
TRANSCRIPT_EMPTY = "대화 기록이 없습니다."
SPEAKERS = {"user": "시민", "bot": "이음", "staff": "담당자"}

NOTES = "메모"
NOTES_EMPTY = "메모가 없습니다."
NOTE_FIELD = "새 메모"
NOTE_BUTTON = "메모 남기기"

ASSIGNMENT = "담당"
TAKE_CASE = "내가 맡기"
DROP_CASE = "담당 내려놓기"
ASSIGN_OTHER_FIELD = "다른 담당자에게 배정 (로그인 이름)"
ASSIGN_OTHER_BUTTON = "배정하기"

STATUS_CHANGE = "처리 단계 바꾸기"
STATUS_FIELD = "다음 단계"
OUTCOME_FIELD = "처리 결과 (종결할 때만)"
OUTCOME_NONE = "고르지 않음"
REASON_FIELD = "바꾸는 이유 (선택)"
STATUS_BUTTON = "단계 바꾸기"
STATUS_NONE_LEFT = (
    "이 사례는 종결되었습니다. 다시 여는 것은 시군구 관리자나 전체 관리자만 할 수 있습니다."
)

REPLY = "시민에게 답장"
REPLY_FIELD = "답장 내용"
REPLY_HINT = "텔레그램 대화방으로 보내지고, 대화 기록에 남습니다. 존댓말로 적어 주세요."
REPLY_BUTTON = "답장 보내기"
REPLY_NOT_POSSIBLE = (
    "이 사례는 대화방으로 답장을 보낼 수 없습니다(전화·방문 접수, 웹 채팅, 또는 종결). "
    "연락처가 있으면 전화해 주세요."
)

EVENTS = "처리 기록"
EVENT_LABELS = {
    "opened": "접수",
    "follow_up": "같은 대화에서 다시 요청",
    "note": "메모",
    "assigned": "담당자 변경",
    "status_changed": "처리 단계 변경",
    "reply": "답장 작성",
    "reply_delivered": "답장 전달됨",
    "reply_failed": "답장 전달 실패",
    "overdue": "처리 기한 지남",
}
DONE = "반영했습니다."

# --- the access record ----------------------------------------------------------------------
AUDIT_TITLE = "접속 기록"
AUDIT_INTRO = "누가 언제 어떤 사례를 보거나 바꾸었는지 남긴 기록입니다 (최근 순)."
AUDIT_CAPTION = "접속 기록 (최근 순)"
AUDIT_CASE_FIELD = "사례 번호"
AUDIT_FILTER = "보기"
AUDIT_EMPTY = "기록이 없습니다."
AUDIT_OLDER = "더 오래된 기록"
COLUMN_AT = "시각"
COLUMN_ACTOR = "사용자"
COLUMN_ACTION = "한 일"
COLUMN_CASE = "사례"
AUDIT_ONLY_SUPERVISORS = "접속 기록은 시군구 관리자와 전체 관리자만 볼 수 있습니다."
ACTION_LABELS = {
    "case.list": "목록 조회",
    "case.read": "사례 열람",
    "case.denied": "권한 없는 열람 시도",
    "case.note": "메모",
    "case.assign": "배정",
    "case.status": "단계 변경",
    "case.reply": "답장",
    "report.file": "신고 접수",
    "report.erase": "연락처 삭제",
    "session.login": "로그인",
    "session.login_failed": "로그인 실패",
    "session.logout": "로그아웃",
    "session.revoke": "세션 강제 종료",
    "user.create": "사용자 생성",
}

# --- refusals -------------------------------------------------------------------------------
ERROR_TITLE = "요청을 처리하지 못했습니다"
PAGE_NOT_FOUND = "찾으시는 화면이 없습니다."
INPUT_PROBLEM = "입력한 내용을 확인해 주세요."
FIELD_NAMES = {
    "login": "로그인 이름",
    "password": "비밀번호",
    "status": "처리 단계",
    "outcome": "처리 결과",
    "reason": "이유",
    "text": "내용",
    "assignee": "담당자",
    "kind": "종류",
    "area": "지역",
    "overdue": "기한 지남",
    "unrouted": "지역 없음",
    "page": "쪽",
    "page_size": "한 쪽의 건수",
    "case_id": "사례 번호",
    "before_id": "기록 번호",
    "limit": "건수",
    "action": "할 일",
    "body": "요청 본문",
}
PROBLEMS = {
    "missing": "꼭 적어야 합니다",
    "string_too_short": "비어 있습니다",
    "string_too_long": "너무 깁니다",
    "literal_error": "목록에 있는 값이 아닙니다",
    "enum": "목록에 있는 값이 아닙니다",
    "int_parsing": "숫자로 적어 주세요",
    "bool_parsing": "예/아니요 값이 아닙니다",
    "greater_than_equal": "너무 작습니다",
    "less_than_equal": "너무 큽니다",
    "json_invalid": "JSON 형식이 아닙니다",
    "extra_forbidden": "알 수 없는 항목입니다",
}
PROBLEM_OTHER = "형식이 맞지 않습니다"


def field_problem(field: str, problem: str) -> str:
    return f"{FIELD_NAMES.get(field, field)}: {problem}"


# --- a staff reply, as the citizen sees it ---------------------------------------------------
def reply_to_citizen(text: str) -> str:
    return f"[행정복지센터 담당자의 답장]\n{text}"


# --- the command line -----------------------------------------------------------------------
def console_address(host: str, port: int) -> str:
    return f"  · 담당자 화면: http://{host}:{port}/"


FIRST_ADMIN_CREATED = (
    "  · 담당자 화면의 첫 관리자 계정을 만들었습니다. 로그인 이름: {login} / 비밀번호: {password}\n"
    "    이 비밀번호는 지금 한 번만 보여 드립니다. 적어 두시고, 잃어버리면 "
    "`ieum staff create-user`로 새 관리자를 만들어 주세요."
)
FIRST_ADMIN_FROM_ENV = (
    "  · 담당자 화면의 첫 관리자 계정을 만들었습니다. 로그인 이름: {login} / "
    "비밀번호: IEUM_STAFF_ADMIN_PASSWORD 에 넣은 값"
)
SIGN_IN_HINT = "  · 담당자 화면 로그인: `ieum staff create-user`로 만든 계정으로 로그인해 주세요."
FIRST_ADMIN_NAME = "첫 관리자"
