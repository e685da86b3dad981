"""Every Korean sentence of the staff console, in one place for review: page titles,
labels, buttons, refusals, and the line a citizen sees above a staff reply.

Labels of the case store (kinds, statuses, signs, households, roles) are the store's own
(``cases.messages``), so a status reads the same on the console and in the command line.
"""

from __future__ import annotations

import datetime as dt

from cases.checkin_messages import BUTTON_LABELS as CHECKIN_BUTTON_LABELS
from cases.checkin_messages import STATE_LABELS as CHECKIN_STATE_LABELS
from cases.checkin_messages import STATUS_LABELS as PERSON_STATUS_LABELS
from cases.checkin_messages import STEP_LABELS as CHECKIN_STEP_LABELS
from cases.checkin_messages import TIER_LABELS
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
    "CHECKIN_BUTTON_LABELS",
    "CHECKIN_STATE_LABELS",
    "CHECKIN_STEP_LABELS",
    "HOUSEHOLD_LABELS",
    "KIND_LABELS",
    "NO_AREA",
    "PERSON_STATUS_LABELS",
    "PRIORITY_LABELS",
    "ROLE_LABELS",
    "SIGN_LABELS",
    "STATUS_LABELS",
    "TIER_LABELS",
]

APP_TITLE = "이음 담당자 화면"
SKIP_TO_CONTENT = "본문으로 건너뛰기"
NAV_QUEUE = "처리할 사례"
NAV_AUDIT = "접속 기록"
NAV_CHECKINS = "안부확인"
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

# --- check-ins (안부확인) -----------------------------------------------------------------
CHECKINS_TITLE = "안부확인"
CHECKINS_INTRO = "담당 지역에서 안부확인을 받는 분들입니다 (최근 등록 순)."
CHECKINS_CAPTION = "안부확인 대상자 목록"
CHECKINS_FILTERS = "대상자 거르기"
CHECKINS_EMPTY = "조건에 맞는 대상자가 없습니다."
CHECKINS_NEW = "새로 등록하기"
PENDING_TITLE = "승인을 기다리는 신청"
PENDING_INTRO = (
    "대화방에서 안부확인을 받고 싶다고 신청한 분들입니다. 확인한 뒤 승인하거나 거절해 주세요."
)
PENDING_EMPTY = "기다리는 신청이 없습니다."
APPROVE = "승인"
REFUSE = "거절"
APPROVE_TIER = "승인할 때 위험도"
COLUMN_NAME = "이름"
COLUMN_TIER = "위험도"
COLUMN_SCHEDULE = "요일과 시간"
COLUMN_PERSON_STATUS = "상태"
COLUMN_CHAT = "대화방"
COLUMN_LAST_ANSWER = "마지막 답"
COLUMN_CONCERN = "열린 사례"
COLUMN_REQUESTED = "신청 시각"
COLUMN_DECISION = "결정"
CHAT_LINKED = "연결됨"
CHAT_NOT_LINKED = "연결 전"
NO_ANSWER_YET = "아직 없음"
ANSWER_TEXT = "글로 답함"
ANSWER_FLAGGED = "걱정되는 답"
BY_PERSON = "본인이 대화방에서"
NO_CONCERN = "없음"


def by_staff(login: str) -> str:
    return f"담당자 {login}"


def schedule_line(days: list[int] | tuple[int, ...], start: str, end: str) -> str:
    """월·수·금 09:00–11:00"""
    names = "·".join(WEEKDAY_NAMES[day] for day in days)
    return f"{names} {start}–{end}"


def concern_link_label(case_id: int) -> str:
    return f"사례 {case_id}번"


def person_link_label(person_id: int) -> str:
    """An access record row about someone enrolled in check-ins."""
    return f"안부확인 {person_id}번"


WEEKDAY_NAMES = ("월", "화", "수", "목", "금", "토", "일")

# The enrolment form.
ENROL_TITLE = "안부확인 새로 등록"
ENROL_INTRO = (
    "방문이나 전화로 본인(또는 가족)의 동의를 받은 뒤 등록해 주세요. 등록하면 초대 링크와 "
    "QR 코드가 만들어지고, 그분이 텔레그램에서 [시작]을 누르면 안부확인이 시작됩니다."
)
ENROL_PERSON = "대상자"
ENROL_NAME = "부르는 이름"
ENROL_NAME_HINT = "안부 메시지에 '○○님'으로 쓰입니다. 예: 김순자"
ENROL_AREA = "지역 (시군구와 동)"
ENROL_AREA_HINT = "예: 강서구 화곡1동"
ENROL_TIER = "위험도"
ENROL_SCHEDULE = "안부를 여쭐 요일과 시간"
ENROL_DAYS = "요일"
ENROL_START = "시작 시각"
ENROL_END = "끝 시각"
ENROL_WINDOW_HINT = (
    "이 사이의 한 시각에 보냅니다 (한국 시간). 밤 9시부터 아침 8시까지는 보내지 않습니다."
)
ENROL_CONTACTS = "비상연락처 (두 명까지, 선택)"
CONTACT_LEGEND = "비상연락처 {n}"
CONTACT_NAME = "이름"
CONTACT_RELATION = "관계"
CONTACT_PHONE = "전화번호"
ENROL_CONSENT = "동의 기록 (꼭 적어 주세요)"
ENROL_CONSENT_HINT = "동의 없이는 등록되지 않습니다. 그만두면 동의도 철회된 것으로 기록됩니다."
CONSENT_BY = "누가 동의했나요"
CONSENT_HOW = "어떻게 동의했나요"
CONSENT_AT = "언제 동의했나요"
CONSENT_AT_HINT = "한국 시간"
CHOOSE = "고르세요"
CONSENT_BY_CHOICES = (
    "본인",
    "배우자",
    "아들",
    "딸",
    "며느리",
    "사위",
    "손자녀",
    "형제자매",
    "보호자",
)
CONSENT_HOW_LABELS = {"visit": "방문", "phone": "전화", "written": "서면", "chat": "대화방"}
ENROL_BUTTON = "등록하고 초대 링크 만들기"

# The invitation.
INVITATION_TITLE = "초대 링크"
INVITATION_INTRO = (
    "이 링크와 QR 코드는 지금 한 번만 보여 드립니다. 인쇄하거나 내려받아 전해 주세요. "
    "다시 필요하면 새 초대 링크를 만들면 되고, 그러면 이전 링크는 쓸 수 없게 됩니다."
)
INVITATION_FOR = "{name}님의 초대"
INVITATION_LINK = "초대 링크"
INVITATION_EXPIRES = "쓸 수 있는 기한"
INVITATION_PNG = "QR 코드 내려받기 (PNG)"
INVITATION_PDF = "안내문 인쇄하기 (PDF, A4 한 장)"
CONTACT_INVITATIONS = "비상연락처의 초대 링크"
CONTACT_INVITATIONS_HINT = (
    "비상연락처가 이 링크로 [시작]을 누르면, 답이 오래 없을 때 알림을 받습니다."
)
QR_ALT = "초대 링크 QR 코드"
INVITATION_GONE_STAFF = (
    "이 초대 링크는 이제 쓸 수 없습니다(사용됨, 기한 지남, 또는 새 링크로 바뀜). "
    "대상자 화면에서 새 초대 링크를 만들어 주세요."
)
TO_PERSON = "대상자 화면으로"
INVITATION_NO_BOT = (
    "봇 아이디(IEUM_TELEGRAM_BOT_USERNAME)가 설정되지 않아 링크의 <bot> 부분이 비어 있습니다. "
    "관리자에게 설정을 부탁해 주세요."
)

# One person.
PERSON_TITLE = "{name}님 · 안부확인"
PERSON_FIELDS = "등록 정보"
FIELD_TIER = "위험도"
FIELD_SCHEDULE = "요일과 시간"
FIELD_PERSON_STATUS = "상태"
FIELD_STATUS_BY = "마지막으로 멈춘 사람"
FIELD_CHAT = "대화방"
FIELD_CONSENT = "동의"
FIELD_CONCERN = "열린 사례"
FIELD_INVITATION = "초대 링크"
INVITATION_STATES = {
    "none": "없음",
    "live": "쓸 수 있음 (기한: {until})",
    "used": "사용됨",
    "expired": "기한 지남",
}
CONSENT_WITHDRAWN = "철회됨"
CONSENT_FAMILY = "가족({relation})"


def consent_line(subject: str, how: str) -> str:
    """Who consented and how: "본인 · 방문", "가족(딸) · 전화"."""
    who = "본인" if subject == "self" else subject
    if subject.startswith("family:"):
        who = CONSENT_FAMILY.format(relation=subject.removeprefix("family:"))
    return f"{who} · {CONSENT_HOW_LABELS.get(how, how)}"


CONTACTS = "비상연락처"
CONTACTS_EMPTY = "비상연락처가 없습니다."
PHONES_HIDDEN = "전화번호는 담당 지역 직원에게만 보입니다."
STATUS_ACTIONS_TITLE = "안부확인 멈추기와 다시 시작"
STATUS_ACTIONS_HINT = "본인이나 가족이 요청했을 때 대신 바꿉니다. 바꾼 사람과 시각이 기록됩니다."
PAUSE = "잠시 쉬기"
RESUME = "다시 시작"
STOP = "그만두기 (동의 철회)"
STOP_CONFIRM = "그만두면 동의가 철회되고, 다시 받으려면 새로 등록해야 함을 확인했습니다."
STOP_CONFIRM_NEEDED = "그만두기 전에 확인란에 표시해 주세요."
NEW_INVITATION = "새 초대 링크 만들기"
NEW_INVITATION_HINT = "링크를 잃어버렸거나 기한이 지났을 때, 전화기를 바꿨을 때 씁니다."
HISTORY_TITLE = "안부확인 기록 (최근 순)"
HISTORY_EMPTY = "아직 보낸 안부확인이 없습니다."
COLUMN_DATE = "날짜"
COLUMN_STATE = "결과"
COLUMN_SENDS = "보낸 횟수"
COLUMN_STEP = "단계"
COLUMN_ANSWERS = "답"
CHECKIN_DONE = {
    "paused": "잠시 쉬도록 바꿨습니다.",
    "active": "다시 시작하도록 바꿨습니다.",
    "stopped": "그만두도록 바꿨습니다. 동의도 철회로 기록했습니다.",
    "approved": "승인했습니다.",
    "refused": "거절했습니다.",
    "edited": "위험도, 요일과 시간, 비상연락처를 저장했습니다.",
}

# Changing tier, schedule and contacts on the person page.
EDIT_TITLE = "위험도, 요일과 시간, 비상연락처 바꾸기"
EDIT_HINT = (
    "세 가지를 함께 저장합니다. 바꾼 사람과 전후 값이 접속 기록에 남습니다(전화번호는 남기지 "
    "않음). 이름이나 전화번호를 바꾼 비상연락처는 연결된 대화방이 풀립니다."
)
EDIT_CONTACT_HINT = "비워 두면 그 비상연락처를 지웁니다."
EDIT_BUTTON = "저장하기"
EDIT_ADMIN_ONLY_VIEW = (
    "전체 관리자는 전화번호가 가려져 있어 바꿀 수 없습니다. 담당 지역 직원이 바꿉니다."
)
FIELD_CURRENT_STEP = "최근 안부확인 단계"
NO_STEP = "단계 없음 (사례로 올라가지 않음)"

# Today's check-ins per area (the top of the check-in list).
TODAY_TITLE = "오늘의 안부확인"
TODAY_INTRO = (
    "{day} 하루(서울 시각) 담당 지역별 안부확인입니다. 기다리는 중은 보냈지만 아직 답이 없는 "
    "것으로, 이미 사례로 올라간 것도 포함합니다."
)
TODAY_CAPTION = "오늘의 안부확인 (지역별)"
TODAY_COLUMNS = {
    "due": "예정",
    "sent": "보냄",
    "answered": "답함",
    "pending": "기다리는 중",
    "escalated": "사례로 올라감",
}
TODAY_EMPTY = "담당 지역에 오늘 예정된 안부확인이 없습니다."

# The printed invitation (PDF), for the person: large, plain, 존댓말.
PRINT_TITLE = "이음 안부확인 시작하기"
PRINT_STEPS = (
    "휴대전화 카메라를 켜고 위의 네모난 그림(QR 코드)을 비춰 주세요.",
    "화면에 뜨는 주소를 누르면 텔레그램이 열립니다.",
    "텔레그램 아래쪽의 [시작] 버튼을 눌러 주세요.",
    "이제 정해진 날에 이음이 안부를 여쭙니다. 버튼 하나만 눌러 답해 주시면 됩니다.",
)
PRINT_LINK_INTRO = "카메라가 어려우시면 텔레그램이 있는 휴대전화에서 이 주소를 열어 주세요:"
PRINT_FOOTER = "궁금하신 점은 담당 선생님께 여쭤 주세요. 보건복지상담센터 129"
PRINT_FONT_MISSING = (
    "안내문에 쓸 한글 글꼴(NanumGothic)이 설치되어 있지 않아 PDF를 만들 수 없습니다. "
    "서버에 fonts-nanum 패키지를 설치해 주세요(make setup). QR 코드 PNG는 내려받을 수 있습니다."
)


def print_greeting(name: str) -> str:
    name = name if len(name) <= 20 else name[:19] + "…"
    return f"{name}님, 안녕하세요.\n이음이 정해진 날에 안부를 여쭐게요."


def print_validity(until: dt.datetime) -> str:
    return (
        f"이 안내문은 {until:%Y년 %m월 %d일 %H시 %M분}까지, 한 번만 쓸 수 있습니다. "
        "기한이 지나면 담당 선생님께 새 안내문을 부탁해 주세요."
    )


def centre_of(place: str) -> str:
    """동 → 동 행정복지센터; a district's own office otherwise."""
    if place.endswith(("동", "읍", "면")):
        return f"{place} 행정복지센터"
    return f"{place}청"


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
    "checkin.enrol": "안부확인 등록",
    "checkin.request": "안부확인 신청 (대화방)",
    "checkin.list": "안부확인 목록 조회",
    "checkin.read": "안부확인 대상자 열람",
    "checkin.denied": "권한 없는 안부확인 열람 시도",
    "checkin.paused": "안부확인 쉬기",
    "checkin.active": "안부확인 다시 시작",
    "checkin.stopped": "안부확인 그만두기",
    "checkin.approve": "안부확인 신청 승인",
    "checkin.refuse": "안부확인 신청 거절",
    "checkin.invite": "새 초대 링크",
    "checkin.print": "초대 안내문 인쇄",
    "checkin.link": "대화방 연결",
    "checkin.edit": "안부확인 위험도·일정·연락처 변경",
    "checkin.today": "오늘의 안부확인 조회",
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
