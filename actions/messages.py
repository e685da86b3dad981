"""Every Korean sentence the actions say (or store for staff), in one place for review.

The wording of the benefit questions and of verdict reasons lives in
``knowledge/messages.py``; this module only frames them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from knowledge import messages as knowledge_messages
from knowledge.engine import ProgramResult
from knowledge.fields import FIELDS
from knowledge.fields import label as field_label
from knowledge.schema import Program

# --- buttons -------------------------------------------------------------------------
DONT_KNOW_BUTTON = "잘 모르겠어요"
NONE_BUTTON = "없음"
CHECK_ELIGIBILITY_BUTTON = "받을 수 있는지 알아보기"

# --- benefit finder ------------------------------------------------------------------
INTAKE_SELF = "좋아요. 받으실 수 있는 지원을 함께 찾아볼게요. 몇 가지만 하나씩 여쭤볼게요."
INTAKE_OTHER = (
    "좋아요. 그분이 받으실 수 있는 지원을 함께 찾아볼게요. 그분에 대해 몇 가지만 하나씩 여쭤볼게요."
)
NOT_UNDERSTOOD = "죄송해요. 답을 잘 알아듣지 못했어요."
CHOOSE_A_BUTTON = "아래 버튼에서 골라 주세요."
SKIPPED = "괜찮아요. 다른 것을 여쭤볼게요."
WHICH_REGION = "같은 이름의 지역이 여러 곳 있어요. 어느 곳인가요?"


def not_understood(field: str) -> str:
    hint = FIELDS[field].hint if field in FIELDS else None
    return f"{NOT_UNDERSTOOD} {hint or CHOOSE_A_BUTTON}"


def fact_changed(label: str, value: str) -> str:
    return f"고쳤어요. {label}: {value}"


def fact_noted(label: str, value: str) -> str:
    return f"알겠어요. {label}: {value}"


def fact_dropped(label: str) -> str:
    return f"앞서 들은 '{label}' 정보는 지웠어요."


NOTHING_TO_CHANGE = (
    "어떤 내용을 알려 주신 건지 잘 모르겠어요. 예를 들어 '나이는 72세예요'처럼 말씀해 주세요."
)


def fact_text(field: str, value: object, program_names: Mapping[str, str]) -> str:
    """A stated fact as a citizen would read it: '만 73세', '월 800,000원', '예'."""
    if isinstance(value, bool):
        return knowledge_messages.YES if value else knowledge_messages.NO
    entry = FIELDS.get(field)
    kind = entry.kind if entry is not None else None
    if kind == "age" and isinstance(value, int):
        return knowledge_messages.years_old(value)
    if kind == "money" and isinstance(value, int):
        return f"월 {knowledge_messages.won(value)}"
    if kind == "amount" and isinstance(value, int):
        return knowledge_messages.won_plain(value) if value else NONE_BUTTON
    if kind == "count":
        return f"{value}명"
    if kind == "ages" and isinstance(value, list):
        return ", ".join(f"{age}세" for age in value) or NONE_BUTTON
    if kind == "programs" and isinstance(value, list):
        return ", ".join(program_names.get(str(p), str(p)) for p in value) or NONE_BUTTON
    if entry is None:
        return str(value)
    if isinstance(value, list):
        return ", ".join(entry.value_label(str(item)) for item in value) or NONE_BUTTON
    return entry.value_label(str(value))


# --- results -------------------------------------------------------------------------
# Results are read on a phone: each message fits one screen, programs are named briefly
# (the detail is behind each program's button), and the words are plain.
RESULTS_HEADING_SELF = "알려 주신 내용으로 찾아봤어요."
RESULTS_HEADING_OTHER = "그분에 대해 알려 주신 내용으로 찾아봤어요."
MAYBE_HEADING = "[조건을 더 확인해야 하는 지원]"
NEAR_MISS_HEADING = "[아깝게 조건에 안 맞는 지원]"
RESULTS_FOOTER = (
    "실제로 받으실 수 있는지는 신청한 뒤 담당 기관에서 정해요. 아래 지원 이름을 누르시면 "
    "왜 맞는지, 어디서 신청하는지 자세히 알려 드릴게요."
)
NO_RESULTS = (
    "알려 주신 내용으로는 맞는 지원을 찾지 못했어요. 보건복지상담센터(국번 없이 129)나 "
    "가까운 행정복지센터에 물어보시면 더 도와드릴 수 있어요."
)


def eligible_count(count: int) -> str:
    return f"받으실 수 있는 지원이 {count}가지 있어요. 도움이 클 것부터 알려 드릴게요."


def eligible_line(rank: int, name: str, amount: str | None) -> str:
    """One program the person can receive, named briefly with what it gives."""
    return f"{rank}. {name} — {amount}" if amount else f"{rank}. {name}"


def open_to_all(names: Sequence[str]) -> str:
    return "누구나 이용할 수 있는 곳: " + ", ".join(names)


def already_received(names: Sequence[str]) -> str:
    return "지금 받고 계신 지원: " + ", ".join(names) + " (새로 신청하지 않으셔도 돼요)"


def maybe_entry(result: ProgramResult) -> str:
    """A program that one more fact would settle, and that fact."""
    name = result.program.name
    if not result.missing:
        return f"· {name}"
    label = field_label(result.missing[0])
    return f"· {name}: '{label}'{_object_particle(label)} 알면 확인할 수 있어요."


def near_miss_entry(result: ProgramResult) -> str:
    """A program just out of reach, and by how much, in plain words."""
    return f"· {result.program.name}: {result.near_miss}"


def closed_line(reason: str) -> str:
    return f"· {reason}"


def office_checks(checks: Sequence[str]) -> str:
    return "· 주민센터에서 더 확인하는 것: " + ", ".join(checks)


AMOUNTS_MAY_HAVE_CHANGED = "금액은 바뀌었을 수 있어요. 신청하실 때 꼭 확인해 주세요."
CLOSED_HEADING = "[지금은 신청 기간이 아닌 지원]"


def closed_entry(name: str, reason: str) -> str:
    return f"· {name}: {reason}"


PERSONAL_REASONS_ELIGIBLE = "· 맞는 이유: "
PERSONAL_MISSING = "· 더 확인할 것: "
PERSONAL_FAILED = "· 안 맞는 조건: "


def _object_particle(word: str) -> str:
    """을 after a final consonant (받침), 를 after a vowel."""
    last = word[-1:]
    if not "가" <= last <= "힣":
        return "을(를)"
    return "을" if (ord(last) - ord("가")) % 28 else "를"


def _where_to_apply(program: Program) -> str:
    where = program.apply.where
    if program.apply.online_url:
        where += f" (온라인: {program.apply.online_url})"
    return where


# --- program answers -----------------------------------------------------------------
ASK_WHICH_PROGRAM = (
    "어떤 지원이 궁금하세요? 지원 이름이나 상황을 말씀해 주세요. 예: 기초연금 신청 방법"
)
WHICH_PROGRAM = "비슷한 지원이 여러 개 있어요. 어떤 것이 궁금하세요?"
SEARCH_UNAVAILABLE = (
    "지금은 지원 정보를 찾을 수 없어요. 잠시 뒤에 다시 물어봐 주세요. 급하시면 "
    "보건복지상담센터 129로 전화해 주세요."
)


FIGURES_MAY_HAVE_CHANGED = "· 금액은 바뀌었을 수 있어요. 신청하실 때 꼭 확인해 주세요."


def program_answer(
    program: Program, personal: Sequence[str] = (), *, figures_unverified: bool = False
) -> str:
    """What a program is, for whom, what it gives, how to apply, whom to ask, and the source;
    ``personal`` lines say how it fits the person ieum has been told about."""
    lines = [
        f"[{program.name}]",
        program.summary,
        *personal,
        f"· 대상: {program.eligibility.text}",
        f"· 지원 내용: {program.benefit.text}",
        f"· 신청: {_where_to_apply(program)}",
    ]
    if program.apply.steps:
        lines.append(f"· 방법: {program.apply.steps}")
    if program.apply.documents:
        lines.append(f"· 서류: {', '.join(program.apply.documents)}")
    contact = program.contact
    reach = " ".join(part for part in (contact.phone, contact.url) if part)
    lines.append(f"· 문의: {contact.name} {reach}".rstrip())
    if program.sources:
        source = program.sources[0]
        checked = f", {source.checked.isoformat()} 확인" if source.checked else ""
        lines.append(f"· 출처: {source.title} ({source.url}{checked})")
    if figures_unverified:
        lines.append(FIGURES_MAY_HAVE_CHANGED)
    return "\n".join(lines)


# --- handoff, fallback, emergency, check-in --------------------------------------------
HELPLINE = "급한 일이면 보건복지상담센터 129(24시간)로 전화해 주세요."
NOT_RECORDED = (
    "죄송해요. 지금은 요청을 접수하지 못했어요. 보건복지상담센터 129로 전화해 주시면 "
    "바로 도와드려요."
)
FALLBACK_FIRST = "죄송해요. 잘 이해하지 못했어요. 조금 다르게 말씀해 주시거나 아래에서 골라 주세요."
EMERGENCY_RECORDED = "담당자에게도 긴급으로 알렸어요. 그래도 전화가 가장 빨라요."
EMERGENCY_NOT_RECORDED = "담당자에게는 알리지 못했어요. 꼭 위 번호로 전화해 주세요."
CHECKIN_CONCERN_SAFETY = "많이 아프시거나 위험하면 바로 119로 전화해 주세요."


CALL_US_INSTEAD = (
    "이 화면으로는 담당자가 먼저 연락드릴 수 없어요. 접수 번호를 말씀하시면서 "
    "가까운 주민센터나 보건복지상담센터 129에 전화해 주세요."
)
NOD_ACKNOWLEDGED = "네. 더 도와드릴 일이 있으면 말씀해 주시거나 아래에서 골라 주세요."
UNKNOWN_TOPIC = (
    "죄송해요. 그 내용은 제가 잘 모르겠어요. 보건복지상담센터 129(국번 없이)에 물어보시면 "
    "자세히 알려 드려요. 아래에서 다른 도움을 골라 주셔도 돼요."
)


def emergency_recorded_after_hours(opening: dt.datetime, today: dt.date) -> str:
    """Said when staff cannot see an emergency until the office opens."""
    return (
        f"담당자에게도 알려 두었어요. 다만 지금은 근무 시간이 아니라서 "
        f"{_day(opening.date(), today)} {_clock(opening.hour)}에야 확인해요. "
        "꼭 위 번호로 지금 전화해 주세요."
    )


def handoff_again(number: int) -> str:
    return f"앞서 요청하신 상담(접수 번호 {number}번)에 말씀을 덧붙여 두었어요."


def handoff_received(number: int) -> str:
    return f"담당자에게 상담을 요청했어요. 접수 번호는 {number}번이에요."


def fallback_handoff(number: int) -> str:
    return (
        "계속 제대로 알아듣지 못해 죄송해요. 담당자가 대화를 보고 직접 도와드리도록 "
        f"전달했어요. 접수 번호는 {number}번이에요."
    )


def office_open_now() -> str:
    return "지금은 근무 시간이에요. 담당자가 확인하는 대로 이 대화방으로 연락드릴게요."


def office_closed(
    weekdays: Sequence[int], open_hour: int, close_hour: int, opening: dt.datetime, today: dt.date
) -> str:
    hours = f"{_days(weekdays)} {_clock(open_hour)}~{_clock(close_hour)}"
    return (
        f"지금은 근무 시간({hours})이 아니에요. {_day(opening.date(), today)} "
        f"{_clock(opening.hour)} 이후에 담당자가 확인하고 연락드릴게요. 공휴일이면 그다음 "
        "근무일에 확인해요."
    )


_WEEKDAY_NAMES = "월화수목금토일"


def _days(weekdays: Sequence[int]) -> str:
    if sorted(weekdays) == [0, 1, 2, 3, 4]:
        return "평일"
    return "·".join(_WEEKDAY_NAMES[day] for day in sorted(weekdays)) + "요일"


def _clock(hour: int) -> str:
    if hour < 12:
        return f"오전 {hour}시"
    return f"오후 {hour - 12 if hour > 12 else hour}시"


def _day(day: dt.date, today: dt.date) -> str:
    if day == today:
        return "오늘"
    if day == today + dt.timedelta(days=1):
        return "내일"
    return f"{day.month}월 {day.day}일 {_WEEKDAY_NAMES[day.weekday()]}요일"


# --- ways out of the finder, check-ins ------------------------------------------------
FINDER_STOPPED = (
    "알겠어요. 지원 찾기를 멈출게요. 말씀해 주신 내용은 기억해 둘게요. "
    "다른 도움이 필요하시면 아래에서 골라 주세요."
)
GLAD_TO_HEAR = "다행이에요. 무엇을 도와드릴까요?"
HARD_TIMES = (
    "많이 힘드시죠. 말씀해 주셔서 고마워요. 담당자와 이야기하고 싶으시면 "
    "'담당자와 상담하기'를 눌러 주세요. 급하시면 129(24시간)로 전화해 주세요."
)
NO_CHECKINS_TO_STOP = "지금은 안부 확인을 받고 계시지 않아요. 무엇을 도와드릴까요?"
# Check-ins in the chat (actions/checkin_chat.py); the case store's own sentences (links,
# thanks, pause and stop) are in cases/checkin_messages.py.
CHECKIN_HOW_IT_GOES = (
    "안부 인사는 담당 선생님과 정한 날, 정한 시간에 이 대화방으로 보내 드려요.\n"
    "큰 버튼 세 개 중 하나만 눌러 주시면 돼요.\n"
    '며칠 쉬고 싶으시면 "잠깐 쉴래요"라고 말씀해 주세요.'
)
CHECKIN_HELP_TOLD = "알려 주셔서 고마워요. 담당 선생님께 바로 알렸어요."
CHECKIN_CALL_ME_TOLD = "알겠어요. 담당 선생님께 전화드려 달라고 바로 알렸어요."
CHECKIN_WORRY_TOLD = "말씀해 주셔서 고마워요. 걱정이 되어 담당 선생님께 바로 알렸어요."
CHECKIN_BUTTON_STALE = (
    "이 안부 인사에는 지금 답을 받을 수 없어요. 다음 안부 인사 때 알려 주세요.\n"
    "도움이 필요하시면 아래에서 골라 주세요."
)
PAUSE_OR_STOP = (
    "안부 확인을 어떻게 할까요?\n"
    "잠깐 쉬시면 언제든 다시 받을 수 있어요. 그만 받으시면 담당 선생님께 다시 "
    "말씀하셔야 해요."
)
CHECKINS_KEPT = "네, 안부 인사는 그대로 보내 드릴게요."


def pause_or_stop_buttons() -> list[dict[str, str]]:
    """잠깐 쉴게요 / 그만 받을게요 / 계속 받을게요, as stop_checkins with a choice."""
    return [
        {"title": title, "payload": f'/stop_checkins{{"choice":"{choice}"}}'}
        for title, choice in (
            ("잠깐 쉴게요", "pause"),
            ("그만 받을게요", "stop"),
            ("계속 받을게요", "keep"),
        )
    ]


CHECKINS_ONLY_ON_TELEGRAM = (
    "이음의 안부 인사는 텔레그램 이음 대화방으로 보내 드려요. 텔레그램에서 "
    "'안부 확인 받고 싶어요'라고 말씀해 주세요. 사시는 곳 주민센터(행정복지센터)에 "
    "말씀하셔도 돼요."
)
CHECKINS_FOR_FAMILY = (
    "안부 인사는 신청한 분의 텔레그램 대화방으로 보내 드려요. 가족분이 직접 이음에서 "
    "'안부 확인 받고 싶어요'라고 말씀하시거나, 사시는 동 주민센터에 말씀해 주세요. "
    "담당 선생님이 등록하고 초대 링크를 드려요."
)
CHECKINS_ALREADY = "이미 이 대화방으로 안부 인사를 받고 계세요. 고맙습니다."
CHECKINS_REQUEST_WAITING = (
    "안부 확인 신청은 이미 받았어요. 담당 선생님이 확인하면 이 대화방으로 안부 인사를 보내 드려요."
)

# --- asking for check-ins in the chat (actions/checkin_request.py) ---------------------
CHECKIN_REQUEST_CONSENT = (
    "이음이 정한 날에 이 대화방으로 안부를 여쭤요. 답이 없거나 도움이 필요하다고 하시면 "
    "사시는 동 주민센터 담당 선생님께 알려요.\n"
    "신청하려면 부를 이름, 사는 동네, 받고 싶은 요일과 시간을 여쭤요. 주민센터 담당 "
    "선생님만 보고, 안부 확인에만 써요. 그만 받으시면 더 쓰지 않아요.\n"
    "동의하시나요?"
)
CHECKIN_REQUEST_CONSENT_YES = "네, 동의해요"
CHECKIN_REQUEST_CONSENT_NO = "아니요"
CHECKIN_REQUEST_DECLINED = "알겠어요. 신청하지 않았어요. 필요하실 때 언제든 말씀해 주세요."
CHECKIN_REQUEST_ASK_NAME = "어떻게 불러 드릴까요? 성함을 적어 주세요."
CHECKIN_REQUEST_NAME_NOT_READ = "성함만 짧게 적어 주세요. 숫자는 적지 말아 주세요."
CHECKIN_REQUEST_ASK_AREA = "어느 동에 사세요? 구와 동을 함께 적어 주세요. 예: 강서구 화곡1동"
CHECKIN_REQUEST_AREA_NOT_READ = (
    "말씀하신 동을 찾지 못했어요. 구와 동을 함께 적어 주세요. 예: 강서구 화곡1동"
)
CHECKIN_REQUEST_ASK_DAYS = "어느 요일에 안부를 여쭐까요?"
CHECKIN_REQUEST_DAYS = {
    "daily": "매일",
    "weekdays": "평일(월~금)",
    "mon_wed_fri": "월·수·금",
    "tue_thu": "화·목",
}
CHECKIN_REQUEST_ASK_TIME = "몇 시쯤이 좋으세요?"
CHECKIN_REQUEST_TIMES = {
    "morning": "오전 9시~11시",
    "afternoon": "오후 2시~4시",
    "evening": "저녁 6시~8시",
}
CHECKIN_REQUEST_TIME_WORDS = {
    "morning": ("오전", "아침"),
    "afternoon": ("오후", "낮", "점심"),
    "evening": ("저녁",),
}
"""Typed words for each time window (buttons are read first)."""
CHECKIN_REQUEST_CHOOSE = "아래 버튼에서 골라 주세요."
CHECKIN_REQUEST_FILE_BUTTON = "신청할게요"
CHECKIN_REQUEST_EDIT_BUTTON = "고칠게요"
CHECKIN_REQUEST_ASK_WHAT_TO_EDIT = "무엇을 고칠까요?"
CHECKIN_REQUEST_EDIT_BUTTONS = {"name": "이름", "area": "동네", "days": "요일", "time": "시간"}
CHECKIN_REQUEST_FILED = (
    "신청했어요. {place} 주민센터 담당 선생님이 확인하면 이 대화방으로 안부 인사를 "
    "보내 드려요.\n"
    "확인은 근무 시간에 해요. 급한 일이 있으면 119나 주민센터로 바로 연락해 주세요."
)
CHECKIN_REQUEST_NOT_FILED = (
    "죄송해요. 지금 신청을 저장하지 못했어요. 잠시 뒤에 '신청할게요'를 다시 눌러 주세요."
)
CHECKIN_REQUEST_STOPPED = "안부 확인 신청을 멈췄어요. 아무것도 저장하지 않았어요."


def checkin_request_summary(name: str, place: str, days: str, time: str) -> str:
    """The request read back before it is filed."""
    return (
        "신청 내용을 확인해 주세요.\n"
        f"· 부를 이름: {name}\n"
        f"· 사는 곳: {place}\n"
        f"· 요일: {days}\n"
        f"· 시간: {time}\n"
        "이대로 신청할까요?"
    )


def checkins_offer(names: Sequence[str]) -> str:
    """Programs that check on people who live alone, named plainly."""
    listed = "\n".join(f"· {name}" for name in names)
    return f"혼자 지내시면 걱정되시죠. 안부를 챙겨 드리는 지원이 있어요.\n{listed}"


# --- blind-spot reports (actions/reports.py) -------------------------------------------
REPORT_CONSENT_VERSION = "chat-report-2026-12"
"""Names the consent wording below; change it whenever the wording changes."""


def report_consent(keep_days: int) -> str:
    """The consent question: what is collected, why, who sees it, how long it is kept."""
    kept = "1년" if keep_days == 365 else f"{keep_days}일"
    return (
        "알려 주셔서 고맙습니다. 접수하기 전에 동의를 여쭐게요.\n"
        "도움이 필요한 분의 형편과 사는 곳, 알려 주시는 분의 연락처를 받아서 "
        "그분을 돕는 데만 써요. 사는 곳의 동 행정복지센터 복지 담당 공무원만 보고, "
        f"연락처는 일이 끝나고 {kept}이 지나면 지워요.\n동의하시나요?"
    )


REPORT_CONSENT_YES = "네, 동의해요"
REPORT_CONSENT_NO = "동의하지 않아요"
REPORT_DECLINED = (
    "알겠어요. 아무것도 저장하지 않았어요. 전화로 알리셔도 돼요. "
    "보건복지상담센터 129(국번 없이)나 가까운 주민센터에 말씀해 주세요."
)
REPORT_ASK_ABOUT = "누구 이야기인가요?"
REPORT_ABOUT_SELF = "제 이야기예요"
REPORT_RELATIONS = ("이웃", "가족", "지인", "집주인", "기타")
REPORT_ASK_REGION_SELF = "어디에 사세요? 구와 동을 함께 적어 주세요. 예: 강서구 화곡1동"
REPORT_ASK_REGION_OTHER = "그분은 어디에 사세요? 구와 동을 함께 적어 주세요. 예: 강서구 화곡1동"
REPORT_WHICH_AREA = "같은 이름이 여러 곳 있어요. 어느 곳인가요? 맞는 곳이 없으면 다시 적어 주세요."
REPORT_AREA_UNKNOWN = "말씀하신 곳을 찾지 못했어요."
REPORT_LOCATION_NOT_ENOUGH = "보내 주신 위치로는 어느 동인지 정확히 알 수 없어요."
REPORT_REGION_UNKNOWN_BUTTON = "잘 모르겠어요"
REPORT_ASK_ADDRESS = (
    "찾아가기 쉽게 자세한 주소를 알려 주시겠어요? 예: ○○빌라 2층 맨 끝 집\n"
    "없으면 '건너뛰기'를 눌러 주세요."
)
REPORT_SKIP_BUTTON = "건너뛰기"
REPORT_ASK_SIGNS = (
    "어떤 모습을 보셨나요? 맞는 것을 모두 눌러 주세요. 직접 적으셔도 돼요.\n"
    "다 고르셨으면 '선택 완료'를 눌러 주세요."
)
REPORT_SIGNS_DONE_BUTTON = "선택 완료"
REPORT_NOTHING_SEEN = "한 가지 이상 눌러 주시거나, 보신 일을 적어 주세요."
REPORT_TEXT_KEPT = "적어 주신 내용은 그대로 담당자에게 전할게요."
SIGN_BUTTONS: dict[str, str] = {
    "rent_arrears": "월세가 밀렸어요",
    "utility_arrears": "공과금이 밀렸어요",
    "utility_cut": "전기·가스·물이 끊겼어요",
    "phone_arrears": "전화 요금이 밀렸어요",
    "skipping_meals": "끼니를 거르세요",
    "not_seen": "며칠째 안 보여요",
    "rubbish_smell": "쓰레기나 냄새가 심해요",
    "hoarding": "물건을 잔뜩 쌓아 두세요",
    "illness": "많이 아파 보여요",
    "debt": "빚이 있어요",
    "refusing_help": "도움을 거절하세요",
    "abuse": "맞거나 학대를 받아요",
    "self_harm": "죽고 싶다고 해요",
    "other": "그 밖의 일",
}


def report_signs_chosen(labels: Sequence[str]) -> str:
    return "지금까지 고르신 것: " + ", ".join(labels)


REPORT_ASK_HOUSEHOLD_SELF = "어떻게 사세요? 가장 가까운 것을 골라 주세요."
REPORT_ASK_HOUSEHOLD_OTHER = "그분은 어떻게 사세요? 가장 가까운 것을 골라 주세요."
HOUSEHOLD_BUTTONS: dict[str, str] = {
    "elderly_alone": "혼자 사는 어르신",
    "elderly_couple": "어르신 부부",
    "middle_aged_single": "혼자 사는 중장년",
    "single_parent": "혼자 아이를 키우는 집",
    "grandparent": "조부모와 손주",
    "disabled": "장애가 있는 분",
    "reclusive": "집 밖에 잘 안 나오는 분",
    "young_carer": "가족을 돌보는 청년",
    "care_leaver": "보육시설에서 나온 청년",
    "hospital_discharge": "퇴원한 분",
    "multicultural": "다문화 가정",
    "north_korean_defector": "북한이탈주민",
    "other": "기타",
    "unknown": "잘 모르겠어요",
}
REPORT_ASK_CONTACT = (
    "담당자가 연락드릴 전화번호를 적어 주세요. 예: 010-1234-5678\n"
    "이름을 밝히기 어려우시면 '익명으로 할게요'를 눌러 주세요."
)
REPORT_ANONYMOUS_BUTTON = "익명으로 할게요"
REPORT_PHONE_NOT_READ = "전화번호를 알아보지 못했어요."
REPORT_ANONYMOUS_WORDS = ("익명", "이름 안", "이름은 안", "비밀", "번호 안", "연락처 없", "안 남길")
REPORT_ASK_PHOTO = (
    "도움이 될 사진이 있으면 보내 주세요. 예: 집 앞에 쌓인 우편물\n"
    "없으면 '사진 없어요'를 눌러 주세요."
)
REPORT_NO_PHOTO_BUTTON = "사진 없어요"
REPORT_PHOTO_KEPT = "사진을 받았어요. 신고와 함께 전할게요."
REPORT_CONFIRM_BUTTON = "접수할게요"
REPORT_EDIT_BUTTON = "고칠게요"
REPORT_ASK_CONFIRM = "이대로 접수할까요?"
REPORT_ASK_WHAT_TO_EDIT = "무엇을 고칠까요?"
REPORT_EDIT_BUTTONS: dict[str, str] = {
    "about": "누구 이야기인지",
    "region": "사는 곳",
    "address": "자세한 주소",
    "signs": "보신 일",
    "household": "사는 모습",
    "contact": "연락처",
    "photo": "사진",
}
REPORT_NOT_FILED = (
    "죄송해요. 지금 접수가 되지 않았어요. 적어 주신 내용은 그대로 있어요. "
    "잠시 뒤에 '접수할게요'를 다시 눌러 주세요. 급하시면 129로 전화해 주세요."
)
REPORT_STOPPED = (
    "알겠어요. 신고 쓰기를 멈출게요. 적어 주신 내용은 저장하지 않았어요. "
    "다른 도움이 필요하시면 아래에서 골라 주세요."
)


def report_summary(
    about: str,
    relation: str | None,
    place: str | None,
    address: str | None,
    signs: Sequence[str],
    text: str,
    household: str | None,
    phone: str | None,
    photo: bool,
) -> str:
    """What the reporter said, for them to check before filing."""
    who = "본인" if about == "self" else f"다른 분 ({relation or '기타'})"
    lines = [
        "적어 주신 내용이에요.",
        f"· 누구: {who}",
        f"· 사는 곳: {place or '모름'}" + (f", {address}" if address else ""),
        f"· 보신 일: {', '.join(signs) if signs else '적어 주신 내용'}",
    ]
    if text:
        lines.append(f"· 적어 주신 말: {' / '.join(text.splitlines())[:200]}")
    lines.append(f"· 사는 모습: {household or '모름'}")
    lines.append(f"· 연락처: {_phone(phone) if phone else '익명'}")
    if photo:
        lines.append("· 사진: 1장")
    return "\n".join(lines)


def _phone(digits: str) -> str:
    """A stored number as people write it: 01023456789 → 010-2345-6789."""
    if len(digits) == 11:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    return digits


def report_filed(receipt: str, office: str, deadline: str, anonymous: bool) -> str:
    """Said only after the report is stored."""
    then = "그다음 직접 찾아가 살펴봐요." if anonymous else "그다음 적어 주신 번호로 연락드려요."
    return (
        f"접수했어요. 고맙습니다.\n접수번호: {receipt}\n이 번호를 적어 두세요.\n"
        f"{office} {deadline} 확인해요. {then}\n"
        f"진행 상황은 '접수번호 {receipt} 어떻게 됐어요?'라고 물어보시면 알려 드려요."
    )


def report_office(dong: str | None, district: str | None) -> str:
    """Who takes the report, in plain words."""
    if dong is not None:
        return f"{dong} 행정복지센터 복지 담당자가"
    if district is not None:
        return f"{district} 복지 담당자가"
    return "복지 담당자가"


def report_deadline(due: dt.datetime, now: dt.datetime, within_hours: int | None) -> str:
    """The deadline in plain words: '2시간 안에', '오늘 오후 6시까지', '12월 8일 화요일 …'."""
    if within_hours is not None:
        return f"{within_hours}시간 안에"
    minutes = f" {due.minute}분" if due.minute else ""
    return f"{_day(due.date(), now.date())} {_clock(due.hour)}{minutes}까지"


def report_emergency_filed(receipt: str) -> str:
    return f"알려 주신 내용은 긴급 신고로 접수했어요.\n접수번호: {receipt}"


# --- where a report stands ----------------------------------------------------------------
REPORT_STATUS_LABELS: dict[str, str] = {
    "new": "접수됨",
    "assigned": "담당자 배정",
    "contacted": "연락함",
    "visited": "방문함",
    "linked": "서비스 연계",
    "closed": "종결",
}
REPORT_STATUS_NO_RECEIPT = (
    "접수번호와 함께 다시 물어봐 주세요. 예: '접수번호 R7KQ-M2XD-9HTC 어떻게 됐어요?'\n"
    "번호를 잊으셨으면 알리신 주민센터나 129에 물어봐 주세요."
)
REPORT_STATUS_UNKNOWN = (
    "그 번호로 접수된 신고를 찾지 못했어요. 번호를 다시 확인해 주세요. "
    "모르시겠으면 알리신 주민센터나 129에 물어봐 주세요."
)
REPORT_STATUS_UNAVAILABLE = (
    "죄송해요. 지금은 진행 상황을 볼 수 없어요. 잠시 뒤에 다시 물어봐 주세요."
)


def report_status(receipt: str, status: str, day: dt.date) -> str:
    label = REPORT_STATUS_LABELS.get(status, status)
    return f"접수번호 {receipt}\n지금 단계: {label} ({day.month}월 {day.day}일부터)"


# --- what staff read in the case store (stored, never logged) ---------------------------
ESCALATION_REASONS: dict[str, str] = {
    "handoff": "주민이 담당자 상담을 요청함",
    "fallback": "이음이 두 번 연달아 말을 이해하지 못함",
    "emergency": "긴급 상황 — 즉시 확인 필요",
    "checkin_concern": "안부 확인에서 도움이 필요하다고 답함",
}
SUBJECT_LABELS = {"self": "본인", "other": "다른 사람(가족·이웃 등)"}
BUTTON_PRESSED = "[버튼] {title}"
"""A button press in the transcript, as the citizen saw the button."""


def escalation_summary(kind: str, last_message: str, subject: str | None, facts: str) -> str:
    parts = [ESCALATION_REASONS[kind]]
    if last_message:
        parts.append(f'마지막 말: "{last_message[:200]}"')
    if subject in SUBJECT_LABELS:
        parts.append(f"상담 대상: {SUBJECT_LABELS[subject]}")
    if facts:
        parts.append(f"알려진 정보: {facts}")
    return " / ".join(parts)
