"""Every sentence of check-ins, in one place for review: what the person reads (warm,
plain 존댓말, short lines), what their emergency contacts read, and what staff see in the
queue and on the command line.

A check-in's wording varies so it does not feel mechanical: ``checkin_text`` chooses one
of the variants by the person and the day, so a resend the same day says the same thing
in other words, and tomorrow brings another greeting.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from cases.models import ButtonCode

BUTTONS: tuple[tuple[ButtonCode, str], ...] = (
    ("ok", "잘 지내요"),
    ("need_help", "도움이 필요해요"),
    ("call_me", "전화해 주세요"),
)
"""The check-in's buttons, in the order shown (one a row, large)."""
BUTTON_LABELS: dict[str, str] = dict(BUTTONS)

GREETINGS: tuple[str, ...] = (
    (
        "{name}님, 안녕하세요. 이음이에요.\n"
        "오늘 하루 어떻게 지내고 계세요?\n"
        "아래 버튼을 눌러 알려 주세요."
    ),
    (
        "{name}님, 좋은 하루 보내고 계세요?\n"
        "식사는 잘 챙겨 드셨는지 궁금해요.\n"
        "지내시는 대로 버튼을 눌러 주세요."
    ),
    ("{name}님, 이음이 안부 여쭤요.\n밤에 잠은 잘 주무셨어요?\n편하신 대로 버튼을 눌러 주세요."),
    ("{name}님, 안녕하세요.\n요즘 몸은 괜찮으세요?\n버튼 하나만 눌러 주시면 돼요."),
    ("{name}님, 오늘도 반가워요.\n불편한 곳은 없으신지 여쭤봐요.\n아래에서 골라 눌러 주세요."),
    (
        "{name}님, 이음이에요.\n"
        "날씨가 바뀌면 몸이 먼저 알지요.\n"
        "오늘은 어떠신지 버튼으로 알려 주세요."
    ),
)
REMINDERS: tuple[str, ...] = (
    (
        "{name}님, 아까 드린 안부 인사에 아직 답이 없으셔서 다시 여쭤요.\n"
        "괜찮으신지 버튼 하나만 눌러 주세요."
    ),
    ("{name}님, 이음이 한 번 더 여쭤요.\n잘 지내고 계신지 버튼을 눌러 알려 주세요."),
    ("{name}님, 바쁘셨지요?\n괜찮으신지 알고 싶어서 다시 연락드려요.\n버튼 하나만 눌러 주세요."),
)

THANKS_OK = "알려 주셔서 고마워요.\n오늘도 편안한 하루 보내세요."
THANKS_NEED_HELP = (
    "알려 주셔서 고마워요.\n담당 선생님께 바로 전했어요. 곧 연락드릴게요.\n"
    "급하시면 129(보건복지상담센터)로 전화해 주세요."
)
THANKS_CALL_ME = (
    "알겠어요. 담당 선생님께 전화드려 달라고 전했어요.\n"
    "전화가 오면 받아 주세요. 급하시면 129로 전화해 주세요."
)
THANKS_WORRIED = (
    "말씀해 주셔서 고마워요.\n걱정이 되어 담당 선생님께 전했어요. 곧 연락드릴게요.\n"
    "많이 불편하시면 119에 전화해 주세요."
)
EMERGENCY_NOW = (
    "지금 바로 119에 전화해 주세요.\n마음이 많이 힘드시면 109(자살예방상담)에 전화하시면 "
    "바로 이야기를 들어 드려요.\n담당 선생님께도 지금 알렸어요."
)
ALREADY_ANSWERED = "이미 답해 주셨어요. 고마워요."
LINKED_PERSON = (
    "{name}님, 반가워요. 이음이에요.\n이제 정해진 날에 이음이 안부를 여쭐게요.\n"
    '그만 받고 싶으시면 언제든 "그만 받을래요"라고 말씀해 주세요.'
)
LINKED_CONTACT = (
    "{contact}님, 반가워요. 이음이에요.\n{name}님께서 안부 확인에 오래 답이 없으시면 "
    "이곳으로 알려 드릴게요."
)
INVITATION_USED = "이 초대 링크는 이미 사용되었어요.\n담당 선생님께 새 링크를 부탁해 주세요."
INVITATION_EXPIRED = "이 초대 링크는 기간이 지났어요.\n담당 선생님께 새 링크를 부탁해 주세요."
INVITATION_UNKNOWN = "이 초대 링크를 찾을 수 없어요.\n담당 선생님께 다시 확인해 주세요."
PAUSED = '안부 확인을 잠시 쉴게요.\n다시 받고 싶으시면 "다시 받을래요"라고 말씀해 주세요.'
STOPPED = (
    "안부 확인을 그만할게요. 그동안 고마웠어요.\n"
    "다시 받고 싶으시면 담당 선생님이나 129로 말씀해 주세요."
)
RESUMED = "안부 확인을 다시 시작할게요. 반가워요."

# Emergency contacts, when the ladder reaches them.
CONTACT_ALERT = (
    "{contact}님, 이음이에요.\n{name}님께서 안부 확인에 답이 없으셔서 알려 드려요.\n"
    "담당 선생님도 알고 계세요. 가능하시면 {name}님께 연락해 봐 주세요."
)

# Staff: case summaries and the command line.
TIER_LABELS = {"danger": "위험", "caution": "주의", "watch": "관심"}
STATUS_LABELS = {
    "pending_approval": "승인 대기",
    "invited": "초대함",
    "active": "받는 중",
    "paused": "쉬는 중",
    "stopped": "그만둠",
}
STATE_LABELS = {
    "due": "보낼 차례",
    "sent": "답 기다림",
    "answered": "답함",
    "missed": "무응답",
    "escalated": "담당자 확인 필요",
    "skipped": "건너뜀",
}
STEP_LABELS = {
    "case": "담당자 대기열",
    "contacts": "비상연락처 알림",
    "critical": "긴급",
    "flagged": "걱정되는 답",
    "emergency": "긴급 상황",
    "blocked": "챗봇 차단",
    "failing": "보내기 실패",
}
NO_SENDER = "메시지를 보낼 채널이 연결되지 않아 보내기는 건너뛰었어요."
RESYNC_NOT_NEEDED = (
    "안부확인은 SQL 저장소에만 기록되어 Redis에 다시 채울 것이 없어요. "
    "Redis에는 텔레그램 발송 한도(초당 보낼 수 있는 메시지 수)만 있고, "
    "비워지거나 다시 시작되면 저절로 다시 쌓여요. (아무것도 바꾸지 않았어요)"
)
PERSON_NOT_FOUND = "그런 안부확인 대상자가 없어요."
NOT_JSON = "JSON으로 읽을 수 없어요."
CONSENT_REQUIRED = "동의 기록(누가, 어떻게, 언제)이 없으면 등록할 수 없어요."
BAD_FIELD = "'{field}' 값을 확인해 주세요: {why}"
TOO_MANY_CONTACTS = "비상연락처는 두 명까지예요."
WHY_REQUIRED = "꼭 필요해요"
WHY_TOO_LONG = "{limit}자 이하로 적어 주세요"
WHY_WINDOW = "[시작, 끝] 두 시각이 필요해요"
WHY_WINDOW_ORDER = "시작이 끝보다 빨라야 해요"
WHY_LIST = "목록이어야 해요"
WHY_TIER = "위험, 주의, 관심 중 하나여야 해요"
WHY_AREA = "한 지역으로 정해지지 않아요"
WHY_DAYS = "월~일 또는 0~6이어야 해요"
WHY_SOME_DAY = "하루 이상 골라 주세요"
WHY_CLOCK_TIME = "HH:MM 형식이어야 해요"
WHY_CONTACT = "이름과 전화번호가 필요해요"
WHY_INSTANT = "ISO 8601 날짜와 시각이어야 해요"
WHY_ZONE = "시간대(+09:00)가 필요해요"
BOT_USERNAME_MISSING = (
    "IEUM_TELEGRAM_BOT_USERNAME이 설정되지 않아 링크의 <bot>을 봇 아이디로 바꿔서 전해 주세요."
)


def checkin_text(name: str, person_id: int, day: dt.date, send_number: int) -> tuple[str, int]:
    """The text of a check-in's ``send_number``-th send (0: the first) and the variant
    chosen, the same for the same person, day and send."""
    variants = GREETINGS if send_number == 0 else REMINDERS
    digest = hashlib.sha256(f"{person_id}:{day.isoformat()}".encode()).digest()
    variant = (int.from_bytes(digest[:4], "big") + max(send_number - 1, 0)) % len(variants)
    return variants[variant].format(name=name), variant


def person_line(name: str, tier: str, status: str, area: str) -> str:
    return f"{name}님 · {TIER_LABELS[tier]} · {STATUS_LABELS[status]} · {area}"


def checkin_line(day: str, state: str, sends: int, step: str | None) -> str:
    """One check-in of ``ieum checkins status``: date, state, sends and the ladder step."""
    line = f"  {day} {STATE_LABELS[state]} · {sends}번 보냄"
    return line if step is None else f"{line} · {STEP_LABELS[step]}"


def missed_summary(name: str, tier: str, sends: int) -> str:
    return f"안부확인 무응답: {name}님 ({TIER_LABELS[tier]}) — {sends}번 보냈지만 답이 없어요."


def answer_summary(name: str, tier: str, what: str) -> str:
    return f"안부확인 답변 확인 필요: {name}님 ({TIER_LABELS[tier]}) — {what}"


def button_summary(code: str) -> str:
    return f"'{BUTTON_LABELS[code]}' 버튼을 눌렀어요."


def words_summary(words: tuple[str, ...]) -> str:
    return "걱정되는 말: " + ", ".join(words)


def blocked_summary(name: str, tier: str) -> str:
    return (
        f"안부확인 전달 불가: {name}님 ({TIER_LABELS[tier]}) — 챗봇이 차단되어 메시지를 "
        "보낼 수 없어요. 전화나 방문으로 확인해 주세요."
    )


def failing_summary(name: str, tier: str, failures: int) -> str:
    return (
        f"안부확인 전달 실패: {name}님 ({TIER_LABELS[tier]}) — {failures}번 연속 보내지 "
        "못했어요. 전화나 방문으로 확인해 주세요."
    )


# Staff in the console (``cases.checkin_desk``).
PERSON_NOT_YOURS = "담당 지역의 안부확인 대상자가 아니어서 볼 수 없어요."
AREA_NOT_YOURS = "담당 지역이 아닌 곳의 사람은 등록할 수 없어요. 지역을 확인해 주세요."
NOT_PENDING = "승인을 기다리는 요청이 아니에요."
EDIT_AREA_STAFF_ONLY = "위험도, 요일과 시간, 비상연락처는 담당 지역 직원이 바꿀 수 있어요."
INVITATION_NOT_NOW = "승인 대기 중이거나 그만둔 분에게는 초대 링크를 만들 수 없어요."


def status_refused(current: str, wanted: str) -> str:
    """A pause, resume or stop the person's current status does not allow."""
    return (
        f"지금 '{STATUS_LABELS[current]}' 상태라서 '{STATUS_LABELS[wanted]}'(으)로 "
        "바꿀 수 없어요. 그만둔 분은 동의를 다시 받아 새로 등록해 주세요."
    )


CONSENT_AT_RANGE = "동의 시각을 확인해 주세요. 지금이나 그 전의 시각이어야 해요."
