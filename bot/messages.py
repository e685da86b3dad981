"""Every Korean sentence the messenger front says on its own, in one place for review.

What the assistant says in a conversation lives in the Rasa domain (nlu/domain.yml);
these are only the words of the channels themselves: commands, notices, errors.
"""

from __future__ import annotations

RRN_NOTICE = (
    "주민등록번호는 보내지 마세요. "
    "개인정보를 지키려고 번호를 가리고 받았습니다. "
    "이음은 주민등록번호 없이 도와드립니다."
)

RATE_LIMITED = "메시지가 너무 빨리 오고 있습니다. 잠시 기다리셨다가 다시 보내 주세요."

SERVICE_UNAVAILABLE = (
    "죄송합니다. 지금은 답변을 드리기 어렵습니다. 잠시 후에 다시 말씀해 주세요.\n"
    "급한 일이면 119(화재·구급)나 112(경찰)로 전화해 주세요. "
    "복지 상담은 129(보건복지상담센터)에서도 받으실 수 있습니다."
)

ANSWER_LATER = (
    "죄송해요. 잠시 문제가 생겼어요. 말씀하신 내용은 받아 두었고, 고쳐지는 대로 바로 "
    "답해 드릴게요.\n급하시면 보건복지상담센터 129(24시간)로 전화해 주세요. "
    "위험하면 119나 112로 바로 전화해 주세요."
)
STILL_ANSWERING = "앞서 하신 말씀에 아직 답하는 중이에요. 순서대로 답해 드릴게요."
GAVE_UP = (
    "죄송해요. 아직 답을 드리지 못하고 있어요. 보건복지상담센터 129(24시간)로 "
    "전화해 주시거나, 잠시 뒤에 다시 말씀해 주세요."
)

BUTTON_EXPIRED = "이 버튼은 시간이 지나 쓸 수 없습니다. 원하시는 내용을 다시 말씀해 주세요."

CHOOSE_BELOW = "아래에서 골라 주세요."

UNKNOWN_COMMAND = "모르는 명령입니다. /help 를 누르시면 쓰는 방법을 알려 드립니다."

UNSUPPORTED_MESSAGE = "음성이나 파일은 아직 알아듣지 못합니다. 글로 적어 주세요."
PHOTO_NOT_TAKEN = (
    "사진은 JPEG나 PNG로, 5MB까지 받을 수 있어요. 다른 사진을 보내 주시거나 글로 적어 주세요."
)

HELP = """\
이음은 받을 수 있는 복지 지원을 찾아 드리는 상담 도우미입니다.

이렇게 말씀해 보세요.
· "제가 받을 수 있는 지원이 있나요?"
· "어머니가 받을 수 있는 지원 알려 주세요"
· "기초연금 어떻게 신청해요?"
· "옆집 할머니가 며칠째 안 보여요" (도움이 필요한 이웃 알리기)
· "담당자와 이야기하고 싶어요"

버튼이 나오면 눌러서 답하셔도 됩니다.
/start 처음부터 다시 시작
/privacy 개인정보 안내
급한 일이면 119나 112로 바로 전화해 주세요."""

PRIVACY = """\
개인정보 안내입니다.
· 주민등록번호는 보내지 마세요. 보내셔도 가려서 받습니다.
· 대화 내용은 상담을 이어 가려고 보관합니다.
· 담당자 연결을 요청하시면 담당 공무원이 대화 내용을 봅니다.
· 위치를 보내 주시면 가까운 기관을 찾는 데에만 씁니다.
· 이웃을 알리실 때 주신 연락처와 사진은 그 동 행정복지센터 담당자만 봅니다.
궁금한 점은 주민센터나 129(보건복지상담센터)로 문의해 주세요."""

# Telegram's command menu (setMyCommands).
COMMANDS = {
    "start": "처음부터 시작",
    "help": "쓰는 방법",
    "privacy": "개인정보 안내",
}

# Web chat page (bot/static/index.html placeholders; the page's script reads the
# wording it shows itself from data- attributes, so every sentence stays here).
WEBCHAT_PAGE = {
    "title": "이음 복지 상담",
    "subtitle": "받을 수 있는 복지 지원을 찾아 드립니다.",
    "log_label": "대화 내용",
    "input_label": "보내실 말씀",
    "placeholder": "여기에 입력해 주세요",
    "send": "보내기",
    "typing": "답을 쓰고 있습니다…",
    "error": "연결이 원활하지 않습니다. 잠시 후에 다시 보내 주세요.",
    "rrn_label": "주의",
    "rrn_warning": "주민등록번호는 보내지 마세요.",
    "noscript": "이 화면을 쓰려면 브라우저에서 자바스크립트를 켜 주세요.",
}

WEBCHAT_READY = "웹 채팅이 준비되었습니다: http://127.0.0.1:{port} (끝내려면 Ctrl+C)"

# Terminal chat (`ieum chat`).
TERMINAL_BANNER = """\
이음 복지 상담입니다. 궁금한 것을 입력해 주세요.
버튼은 번호로 고르실 수 있습니다. 끝내려면 빈 줄에서 Enter를 누르세요."""
TERMINAL_PROMPT = "나: "
TERMINAL_SPEAKER = "이음: "
TERMINAL_BYE = "이용해 주셔서 감사합니다."

# `ieum nlu parse`.
NLU_OFFLINE = "Rasa 서버에 연결할 수 없어 학습된 모델로 직접 분석합니다: {model}"
NLU_NO_MODEL = "학습된 Rasa 모델이 없습니다 ({models_dir}). 먼저 모델을 학습해 주세요."
NLU_NO_RASA_VENV = "Rasa 가상환경이 없습니다 ({python}). make setup 을 실행해 주세요."
NLU_OFFLINE_FAILED = "모델로 분석하지 못했습니다 (종료 코드 {code})."
